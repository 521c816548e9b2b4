import Dispatch
import Glibc
import JSON
import Synchronization
import SystemSupport

/// Results kept in Redis and shared by every gateway that points at it (`--store redis://…`).
///
/// - A run's events go to a Redis Stream as they are produced, with the SSE ids as entry ids.
/// - Any gateway serves any result: it reads the stream once (`RedisTail`) and fans out locally.
/// - Single flight across gateways: the `claim` script gives run N of an image to the first
///   gateway and a lease that this gateway renews while the run lasts; uploads elsewhere attach.
/// - When a lease expires (its gateway died), any gateway following the run ends it with
///   `stage-error` `interrupted` and `done` `failed`; the next upload runs again.
///
/// Three connections, each on its own thread: the writer (appends, lease renewal), the reader
/// (claims, lookups, readiness, the shared rate limit) and the tail. No call waits on a loop.
public final class SharedResultHub: ResultService {
    public struct Settings: Sendable {
        public var address: RedisAddress
        public var leaseMillis = 10_000
        public var timeoutMillis = 2_000
        public var retentionSeconds: Int64 = 7 * 86_400
        /// The upload rate per client address across all gateways (0: none), and its burst.
        public var uploadsPerMinute = 0
        public var uploadBurst = 20
        public var cacheLimit = 256
        public var retryAfterSeconds = 5

        public init(address: RedisAddress) { self.address = address }
    }

    public let pool: WorkerPool
    private let graph: PipelineGraph
    private let settings: Settings
    /// This gateway's name in leases.
    private let owner: String
    private let writerQueue = DispatchQueue(label: "lens-gpt.redis.writer")
    private let readerQueue = DispatchQueue(label: "lens-gpt.redis.reader")
    private let writer: RedisConnection
    private let reader: RedisConnection
    /// Photos for hosted visual-search APIs (`SharedPhotos`): megabytes at a time, on their own
    /// connection and thread so that they never hold up events or claims.
    private let photoQueue = DispatchQueue(label: "lens-gpt.redis.photos")
    /// Locked: photos are stored from worker threads and read on `photoQueue`.
    private let photoConnection: Mutex<RedisConnection>
    private let tail: RedisTail
    private let renewal: Mutex<DispatchSourceTimer>
    private let onRunFinished: @Sendable (UploadedImage, RunSummary) -> Void
    private let onStoreFailure: @Sendable (String) -> Void

    private struct OwnedRun {
        let run: Int
        let token: String
        /// The run's own stream, whose events go to Redis (sealed when the run is interrupted).
        let producer: ResultStream
        var broken = false
    }
    private struct State {
        var owned: [String: OwnedRun] = [:]
        var complete: [String: ResultStream] = [:]
        var completeOrder: [String] = []
    }
    private let state = Mutex(State())

    public init(settings: Settings, graph: PipelineGraph, pool: WorkerPool,
                onRunFinished: @escaping @Sendable (UploadedImage, RunSummary) -> Void = { _, _ in },
                onStoreFailure: @escaping @Sendable (String) -> Void = { _ in })
    {
        self.settings = settings
        self.graph = graph
        self.pool = pool
        self.onRunFinished = onRunFinished
        self.onStoreFailure = onStoreFailure
        owner = SharedResultHub.randomName()
        writer = RedisConnection(address: settings.address, timeoutMillis: settings.timeoutMillis)
        reader = RedisConnection(address: settings.address, timeoutMillis: settings.timeoutMillis)
        photoConnection = Mutex(RedisConnection(address: settings.address, timeoutMillis: settings.timeoutMillis))
        let retentionMillis = String(settings.retentionSeconds * 1000)
        let cache = CompleteCache()
        tail = RedisTail(address: settings.address, timeoutMillis: settings.timeoutMillis, leaseMillis: settings.leaseMillis,
                         interruptArguments: { id, run in
                             [String(run), RedisScripts.eventsPrefix(id), SharedResultHub.interruptedEnvelope,
                              SharedResultHub.interruptedDoneEnvelope, retentionMillis]
                         },
                         onFinished: { stream in cache.finished(stream) })
        renewal = Mutex(DispatchSource.makeTimerSource(queue: writerQueue))
        cache.hub.withLock { $0 = WeakHub(self) }
        let period = max(50, settings.leaseMillis / 3)
        renewal.withLock { timer in
            timer.schedule(deadline: .now() + .milliseconds(period), repeating: .milliseconds(period))
            timer.setEventHandler { [weak self] in self?.renewLeases() }
            timer.resume()
        }
    }

    public var stages: [String] { graph.stages }
    public var runningCount: Int { state.withLock { $0.owned.count } }
    /// Results this gateway follows in Redis right now (one reader each, shared by its clients).
    public var followedCount: Int { tail.count }

    public func shutdown() {
        renewal.withLock { $0.cancel() }
        tail.stop()
    }

    // MARK: uploads

    public func submit(_ image: UploadedImage, client: String,
                       completion: @escaping @Sendable (Result<ResultSubmission, ResultSubmitError>) -> Void)
    {
        readerQueue.async { [self] in
            do {
                completion(try claim(image, client: client))
            } catch {
                completion(.failure(.storeUnavailable("\(error)", retryAfterSeconds: settings.retryAfterSeconds)))
            }
        }
    }

    private func claim(_ image: UploadedImage, client: String) throws(RedisError) -> Result<ResultSubmission, ResultSubmitError> {
        if settings.uploadsPerMinute > 0 {
            let wait = try reader.command(["EVAL", RedisScripts.rate, "1", RedisScripts.rateKey(client),
                                           String(settings.uploadsPerMinute), String(max(1, settings.uploadBurst))])
            if case .error(let message) = wait { throw RedisError(message) }
            if let seconds = wait.integer, seconds > 0 { return .failure(.rateLimited(retryAfterSeconds: seconds)) }
        }
        let id = image.id
        let reply = try reader.command([
            "EVAL", RedisScripts.claim, "2", RedisScripts.metaKey(id), RedisScripts.leaseKey(id),
            owner, String(settings.leaseMillis), String(settings.retentionSeconds * 1000), pool.acceptsNewWork ? "1" : "0",
            RedisScripts.eventsPrefix(id), SharedResultHub.interruptedEnvelope, SharedResultHub.interruptedDoneEnvelope,
        ])
        guard let parts = reply.array, parts.count == 2, let verdict = parts[0].string, let run = parts[1].integer else {
            throw RedisError("unexpected claim reply \(reply)")
        }
        switch verdict {
        case "complete":
            return .success(ResultSubmission(stream: try finished(id: id, run: run, status: .complete), startedRun: false))
        case "attach":
            return .success(ResultSubmission(stream: try follow(id: id, run: run), startedRun: false))
        case "run":
            let stream = try follow(id: id, run: run)
            start(image, run: run)
            return .success(ResultSubmission(stream: stream, startedRun: true))
        default:
            return .failure(.overloaded(retryAfterSeconds: 5))
        }
    }

    /// Runs the pipeline here: each event goes to Redis in order (writer thread); subscribers,
    /// here as on every other gateway, read it back from there.
    private func start(_ image: UploadedImage, run: Int) {
        let id = image.id
        let producer = ResultStream(id: id) { [self] event in
            writerQueue.async { [self] in _ = append(id: id, run: run, event) }
        }
        state.withLock { $0.owned[id] = OwnedRun(run: run, token: "\(owner):\(run)", producer: producer) }
        let pipeline = PipelineRun(graph: graph, image: image, stream: producer, pool: pool) { [self] summary, done in
            // nil: the run was interrupted (shutdown) and has ended already.
            let sealed = producer.seal(final: "done", payload: done.adding("stored", true))
            writerQueue.async { [self] in
                if let (_, final) = sealed {
                    end(id: id, run: run, final, status: summary.status, producer: producer)
                }
                onRunFinished(image, summary)
            }
        }
        pipeline.start()
    }

    /// Writes a run's last event and lets it go (writer thread).
    private func end(id: String, run: Int, _ final: ResultEvent, status: ResultStatus, producer: ResultStream) {
        if !append(id: id, run: run, final, finalStatus: status) {
            onStoreFailure("result \(id) run \(run): its end could not be written to Redis; it ends as interrupted when its lease expires")
        }
        state.withLock { s in
            if s.owned[id]?.run == run { s.owned[id] = nil }
        }
        producer.finish(with: final, status: status)
    }

    /// Ends this gateway's runs still going as interrupted, in Redis, so that their subscribers
    /// here and on every other gateway get `done` now rather than when the lease expires. Runs of
    /// other gateways go on there: their copies here break off, and clients reconnect elsewhere.
    public func interruptRunning() {
        let owned = state.withLock { $0.owned }
        for other in tail.followed where owned[other.id]?.run != other.run {
            other.stream.breakOff("this gateway is stopping; the result goes on elsewhere")
        }
        for (id, owned) in owned where !owned.broken {
            // The stage-error goes to Redis through the producer's hook, before the end.
            guard let (_, final) = owned.producer.sealInterrupted(error: Interruption.error,
                                                                  done: Interruption.done.adding("stored", true))
            else { continue }
            writerQueue.async { [self] in end(id: id, run: owned.run, final, status: .failed, producer: owned.producer) }
        }
    }

    /// Appends one event of an owned run (writer thread). A short Redis outage is waited out
    /// (the writer retries for up to a lease); a run that lost its place stops writing.
    private func append(id: String, run: Int, _ event: ResultEvent, finalStatus: ResultStatus? = nil) -> Bool {
        guard let owned = state.withLock({ $0.owned[id] }), owned.run == run, !owned.broken else { return false }
        let arguments = ["EVAL", RedisScripts.append, "3", RedisScripts.metaKey(id), RedisScripts.eventsKey(id, run: run),
                         RedisScripts.leaseKey(id), String(run), String(event.id), event.name, event.envelope,
                         finalStatus == nil ? "0" : "1", finalStatus?.rawValue ?? "", String(settings.retentionSeconds * 1000),
                         owned.token]
        let deadline = MonotonicClock.nowNanos() + UInt64(settings.leaseMillis) * 1_000_000
        var lastError = ""
        while MonotonicClock.nowNanos() < deadline {
            do {
                let reply = try writer.command(arguments)
                if reply.integer == 1 { return true }
                lastError = "Redis refused event \(event.id) (\(reply)): the run is no longer this gateway's"
                break
            } catch {
                lastError = "\(error)"
                usleep(100_000)  // back-off while Redis is unreachable (writer thread only)
            }
        }
        state.withLock { s in if s.owned[id]?.run == run { s.owned[id]?.broken = true } }
        // Give the lease up at once (DEL still works in a full Redis), so that every gateway's
        // followers end this run within half a lease instead of waiting for the lease to lapse.
        _ = try? writer.command(["EVAL", RedisScripts.release, "1", RedisScripts.leaseKey(id), owned.token])
        onStoreFailure("result \(id) run \(run): \(lastError)")
        return false
    }

    /// Keeps this gateway's leases alive (writer thread, every third of a lease).
    private func renewLeases() {
        for (id, owned) in state.withLock({ Array($0.owned) }) where !owned.broken {
            do {
                let reply = try writer.command(["EVAL", RedisScripts.renew, "2", RedisScripts.leaseKey(id), RedisScripts.metaKey(id),
                                                owned.token, String(settings.leaseMillis), String(owned.run)])
                if reply.integer == 0 {
                    state.withLock { s in if s.owned[id]?.run == owned.run { s.owned[id]?.broken = true } }
                    onStoreFailure("result \(id) run \(owned.run): the lease was lost; the run is no longer this gateway's")
                }
            } catch {
                continue  // Redis unreachable: tried again at the next tick, while the lease lasts
            }
        }
    }

    // MARK: reads

    public func lookup(id: String, completion: @escaping @Sendable (ResultLookup) -> Void) {
        if let stream = state.withLock({ $0.complete[id] }) ?? tail.current(id) {
            completion(.found(stream))
            return
        }
        readerQueue.async { [self] in
            do {
                let reply = try reader.command(["HMGET", RedisScripts.metaKey(id), "status", "run"])
                guard let fields = reply.array, fields.count == 2, let statusText = fields[0].string,
                      let status = ResultStatus(rawValue: statusText), let run = fields[1].integer
                else { return completion(.notFound) }
                if status == .running {
                    completion(.found(try follow(id: id, run: run)))
                } else {
                    completion(.found(try finished(id: id, run: run, status: status)))
                }
            } catch {
                completion(.unavailable("\(error)"))
            }
        }
    }

    /// The local copy of a running result, following it from Redis (reader thread).
    private func follow(id: String, run: Int) throws(RedisError) -> ResultStream {
        if let current = tail.current(id, run: run) { return current }
        let events = try range(id: id, run: run)
        if let last = events.last, last.name == "done" {
            return ResultStream(id: id, events: events, status: RedisTail.status(ofDone: last))
        }
        let stream = ResultStream(id: id)
        stream.ingest(events)
        let chosen = tail.follow(id: id, run: run, stream: stream)
        // Cut the tail's blocked read short so that it starts reading this result now.
        let blocked = tail.clientID.load(ordering: .relaxed)
        if blocked != 0 { _ = try? reader.command(["CLIENT", "UNBLOCK", String(blocked)]) }
        return chosen
    }

    /// A finished result read from Redis (reader thread); complete ones are kept in memory.
    private func finished(id: String, run: Int, status: ResultStatus) throws(RedisError) -> ResultStream {
        if status == .complete, let cached = state.withLock({ $0.complete[id] }) { return cached }
        let stream = ResultStream(id: id, events: try range(id: id, run: run), status: status)
        if status == .complete { remember(stream) }
        return stream
    }

    private func range(id: String, run: Int) throws(RedisError) -> [ResultEvent] {
        let reply = try reader.command(["XRANGE", RedisScripts.eventsKey(id, run: run), "-", "+"])
        if case .error(let message) = reply { throw RedisError(message) }
        return (reply.array ?? []).compactMap(RedisTail.event)
    }

    fileprivate func remember(_ stream: ResultStream) {
        guard stream.status == .complete else { return }
        state.withLock { s in
            s.complete[stream.id] = stream
            s.completeOrder.removeAll { $0 == stream.id }
            s.completeOrder.append(stream.id)
            while s.completeOrder.count > settings.cacheLimit { s.complete[s.completeOrder.removeFirst()] = nil }
        }
    }

    public func checkStore(completion: @escaping @Sendable (StoreHealth) -> Void) {
        readerQueue.async { [self] in
            do {
                let reply = try reader.command(["PING"])
                if case .error(let message) = reply { throw RedisError("\(settings.address): \(message)") }
                // A Redis that answers but refuses writes (full with `noeviction`, a read-only
                // replica after a failover) can neither start runs nor record their events.
                let probe = try reader.command(["SET", RedisScripts.readinessKey(owner), "1", "PX", String(max(1_000, settings.leaseMillis))])
                if case .error(let message) = probe {
                    return completion(StoreHealth(name: "redis", ok: false, message: "\(settings.address): \(RedisTail.firstWords(message))",
                                                  reason: "store_refuses_writes"))
                }
                completion(StoreHealth(name: "redis", ok: true))
            } catch {
                completion(StoreHealth(name: "redis", ok: false, message: "\(error)"))
            }
        }
    }

    /// Redis expires results by itself (each key carries the retention as its TTL).
    public func purgeExpired() {}

    // MARK: helpers

    static let interruptedEnvelope = ResultEvent(id: 0, name: "stage-error", payload: Interruption.error).envelope
    static let interruptedDoneEnvelope = ResultEvent(id: 0, name: "done", payload: Interruption.done.adding("stored", true)).envelope

    private static func randomName() -> String {
        // The system generator (getrandom): gateways started at the same instant differ.
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Lets the tail hand finished results to the hub it was made before.
private final class CompleteCache: Sendable {
    let hub = Mutex<WeakHub?>(nil)
    func finished(_ stream: ResultStream) { hub.withLock { $0 }?.value?.remember(stream) }
}

private struct WeakHub: Sendable {
    weak var value: SharedResultHub?
    init(_ value: SharedResultHub) { self.value = value }
}

extension SharedResultHub: SharedPhotos {
    public func sharedSecret(candidate: String) -> String? {
        photoConnection.withLock { redis in
            let key = RedisScripts.photoSecretKey
            // SET NX: the first gateway's key stays; every other gateway reads that one.
            guard (try? redis.command(["SET", key, candidate, "NX"])) != nil,
                  case .string(let secret)? = try? redis.command(["GET", key]), !secret.isEmpty
            else { return nil }
            return secret
        }
    }

    public func putPhoto(id: String, contentType: String, bytes: [UInt8], lifetimeSeconds: Int) -> Bool {
        // The content type, a newline, then the photo's bytes: one key, one expiry.
        let value = Array(contentType.utf8) + [UInt8(ascii: "\n")] + bytes
        let reply = photoConnection.withLock { redis in
            try? redis.command([Array("SET".utf8), Array(RedisScripts.photoKey(id).utf8), value,
                                Array("PX".utf8), Array(String(lifetimeSeconds * 1000).utf8)])
        }
        return reply == .status("OK")
    }

    public func photo(id: String) -> (contentType: String, bytes: [UInt8])? {
        let stored = photoConnection.withLock { redis in
            try? redis.bytes([Array("GET".utf8), Array(RedisScripts.photoKey(id).utf8)])
        }
        guard let value = stored, let newline = value.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        return (String(decoding: value[..<newline], as: UTF8.self), Array(value[(newline + 1)...]))
    }

    public func removePhoto(id: String) {
        _ = photoConnection.withLock { redis in try? redis.command(["DEL", RedisScripts.photoKey(id)]) }
    }

    public func onPhotoThread(_ body: @escaping @Sendable () -> Void) { photoQueue.async(execute: body) }
}
