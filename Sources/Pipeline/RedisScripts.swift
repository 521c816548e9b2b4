/// The Lua scripts the shared store runs in Redis. Each runs atomically, which is what makes
/// single flight, ordered appends and "the first gateway to notice ends an interrupted run"
/// hold across gateways without locks of our own.
///
/// Keys (prefix `lens-gpt:`): `result:{id}` a hash (`status`, `run`), `events:{id}:{run}` the
/// run's Redis Stream (entry ids `0-1`, `0-2`… are the SSE ids), `lease:{id}` the owner's token
/// with an expiry, `rate:{client}` a token bucket, `ready:{gateway}` the readiness write probe, `photo:{id}` a photo for a hosted
/// visual-search API, `photo-url-secret` the key photo URLs are signed with.
enum RedisScripts {
    static func metaKey(_ id: String) -> String { "lens-gpt:result:\(id)" }
    static func leaseKey(_ id: String) -> String { "lens-gpt:lease:\(id)" }
    static func eventsPrefix(_ id: String) -> String { "lens-gpt:events:\(id):" }
    static func eventsKey(_ id: String, run: Int) -> String { eventsPrefix(id) + String(run) }
    static func rateKey(_ client: String) -> String { "lens-gpt:rate:\(client)" }
    /// A photo hosted visual-search APIs fetch, while their search lasts (content type, newline, bytes).
    static func photoKey(_ id: String) -> String { "lens-gpt:photo:\(id)" }
    /// The key photo URLs are signed with, when the operator sets none (made by the first gateway).
    static let photoSecretKey = "lens-gpt:photo-url-secret"
    /// A short-lived key `/readyz` writes to learn whether Redis takes writes.
    static func readinessKey(_ owner: String) -> String { "lens-gpt:ready:\(owner)" }

    /// Ends a run whose gateway is gone: `stage-error` (interrupted) and `done` (failed).
    private static let interrupt = """
        local function interrupt(meta, prefix, run, errorEnvelope, doneEnvelope, retention)
          local key = prefix .. run
          local n = redis.call('XLEN', key)
          redis.call('XADD', key, '0-' .. (n + 1), 'name', 'stage-error', 'envelope', errorEnvelope)
          redis.call('XADD', key, '0-' .. (n + 2), 'name', 'done', 'envelope', doneEnvelope)
          redis.call('PEXPIRE', key, retention)
          redis.call('HSET', meta, 'status', 'failed')
        end

        """

    /// KEYS: meta, lease. ARGV: owner, leaseMs, retentionMs, canRun (1/0), eventsPrefix,
    /// errorEnvelope, doneEnvelope. Returns {verdict, run}: `complete` (serve the stored
    /// result), `attach` (a live run elsewhere), `run` (this gateway now owns run N), `busy`.
    static let claim = interrupt + """
        local status = redis.call('HGET', KEYS[1], 'status')
        local run = tonumber(redis.call('HGET', KEYS[1], 'run') or '0')
        if status == 'complete' then return {'complete', run} end
        if status == 'running' then
          if redis.call('EXISTS', KEYS[2]) == 1 then return {'attach', run} end
          interrupt(KEYS[1], ARGV[5], run, ARGV[6], ARGV[7], ARGV[3])
        end
        if ARGV[4] ~= '1' then return {'busy', run} end
        run = run + 1
        redis.call('SET', KEYS[2], ARGV[1] .. ':' .. run, 'PX', ARGV[2])
        redis.call('HSET', KEYS[1], 'status', 'running', 'run', run)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('DEL', ARGV[5] .. run)
        return {'run', run}
        """

    /// KEYS: meta, events, lease. ARGV: run, id, name, envelope, final (1/0), status,
    /// retentionMs, leaseToken. 1 appended (or already there: a retried call), 0 the run is no
    /// longer this one (taken over or interrupted), -1 a gap (an earlier append was lost).
    static let append = """
        if tonumber(redis.call('HGET', KEYS[1], 'run') or '0') ~= tonumber(ARGV[1]) then return 0 end
        local n = redis.call('XLEN', KEYS[2])
        if n >= tonumber(ARGV[2]) then
          local held = redis.call('XRANGE', KEYS[2], '0-' .. ARGV[2], '0-' .. ARGV[2])
          if held[1] and held[1][2][4] == ARGV[4] then return 1 end
          return 0
        end
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
        if n + 1 ~= tonumber(ARGV[2]) then return -1 end
        redis.call('XADD', KEYS[2], '0-' .. ARGV[2], 'name', ARGV[3], 'envelope', ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        if ARGV[5] == '1' then
          redis.call('HSET', KEYS[1], 'status', ARGV[6])
          redis.call('PEXPIRE', KEYS[1], ARGV[7])
          if redis.call('GET', KEYS[3]) == ARGV[8] then redis.call('DEL', KEYS[3]) end
        end
        return 1
        """

    /// KEYS: lease, meta. ARGV: token, leaseMs, run. 1 renewed (or taken back after a Redis
    /// restart lost it while the run was still ours), 0 the run is not ours any more.
    static let renew = """
        local current = redis.call('GET', KEYS[1])
        if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        if not current and redis.call('HGET', KEYS[2], 'status') == 'running'
           and tonumber(redis.call('HGET', KEYS[2], 'run') or '0') == tonumber(ARGV[3]) then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """

    /// What `checkFollowed` returns for a run whose stream disappeared under its followers.
    static let streamLost = 2

    /// KEYS: meta, lease, events. ARGV: held (events the follower has), run, eventsPrefix,
    /// errorEnvelope, doneEnvelope, retentionMs. `streamLost` when events were read but the
    /// stream is gone (deleted, expired): the run is marked failed so that it is not "running"
    /// for ever; else it ends run N when its lease has expired (1: ended now, 0: nothing to do). A Redis that
    /// refuses writes answers with its error.
    static let checkFollowed = interrupt + """
        local run = tonumber(ARGV[2])
        local current = tonumber(redis.call('HGET', KEYS[1], 'run') or '0') == run
        if tonumber(ARGV[1]) > 0 and redis.call('EXISTS', KEYS[3]) == 0 then
          if current and redis.call('HGET', KEYS[1], 'status') == 'running' then
            redis.call('HSET', KEYS[1], 'status', 'failed')
          end
          return 2
        end
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' or not current then return 0 end
        interrupt(KEYS[1], ARGV[3], ARGV[2], ARGV[4], ARGV[5], ARGV[6])
        return 1
        """

    /// KEYS: lease. ARGV: token. Gives a lease up (DEL, which a full Redis still allows) when
    /// it is still this run's.
    static let release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
        return 0
        """

    /// KEYS: bucket. ARGV: perMinute, burst. A token bucket kept in Redis so that every gateway
    /// draws on the same one; returns 0 when allowed, else seconds to wait.
    static let rate = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rate = tonumber(ARGV[1]) / 60000
        local burst = tonumber(ARGV[2])
        local tokens = tonumber(redis.call('HGET', KEYS[1], 't') or burst)
        local updated = tonumber(redis.call('HGET', KEYS[1], 'u') or now)
        tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
        local wait = 0
        if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate / 1000) end
        redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
        return wait
        """
}
