import Dispatch
import JSON
import Synchronization
import SystemSupport

/// This gateway's one reader of the running results it serves: a single thread with its own
/// Redis connection waits in `XREAD BLOCK` on every followed result's stream at once and feeds
/// each result's local copy (a `ResultStream`), which fans out to the loops' subscribers. One
/// read per result per gateway, however many clients follow it.
///
/// It also ends runs whose gateway died: every half lease (at least once a second) it asks
/// Redis (atomically) to mark any followed run whose lease has expired as interrupted, and it
/// ends the followed runs whose stream disappeared or whose end Redis refuses to record.
final class RedisTail: Sendable {
    struct Follow: Sendable {
        let id: String
        let stream: ResultStream
        let key: String
        let run: Int
    }

    private let connection: RedisConnection
    /// By stream key (result and run): a new run of a result does not cut off the followers of
    /// the one it replaced before they have read its end.
    private let follows = Mutex<[String: Follow]>([:])
    private let wake = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(true)
    private let stopped = DispatchSemaphore(value: 0)
    /// The tail connection's `CLIENT ID` while it is known, so a new follower can cut a blocked
    /// read short (`CLIENT UNBLOCK`) instead of waiting out its timeout.
    let clientID = Atomic<Int>(0)
    private let blockMillis: Int
    private let timeoutMillis: Int
    private let leaseMillis: Int
    private let interruptArguments: @Sendable (_ id: String, _ run: Int) -> [String]
    private let onFinished: @Sendable (ResultStream) -> Void

    init(address: RedisAddress, timeoutMillis: Int, leaseMillis: Int,
         interruptArguments: @escaping @Sendable (_ id: String, _ run: Int) -> [String],
         onFinished: @escaping @Sendable (ResultStream) -> Void)
    {
        connection = RedisConnection(address: address, timeoutMillis: timeoutMillis)
        self.timeoutMillis = timeoutMillis
        self.leaseMillis = leaseMillis
        blockMillis = max(50, min(1_000, leaseMillis / 2))
        self.interruptArguments = interruptArguments
        self.onFinished = onFinished
        DispatchQueue(label: "lens-gpt.redis.tail").async { [self] in run() }
    }

    var count: Int { follows.withLock { $0.count } }

    /// Every run followed now, with its local copy.
    var followed: [(id: String, run: Int, stream: ResultStream)] {
        follows.withLock { all in all.values.map { ($0.id, $0.run, $0.stream) } }
    }

    /// The local copy of run `run` of result `id` (without `run`: its latest followed run).
    func current(_ id: String, run: Int? = nil) -> ResultStream? {
        follows.withLock { all in
            if let run { return all[RedisScripts.eventsKey(id, run: run)]?.stream }
            return all.values.filter { $0.id == id }.max { $0.run < $1.run }?.stream
        }
    }

    /// Follows `stream` (already holding the events read so far) unless the same run is
    /// followed already; returns the copy in use.
    func follow(id: String, run: Int, stream: ResultStream) -> ResultStream {
        let key = RedisScripts.eventsKey(id, run: run)
        let chosen = follows.withLock { all -> ResultStream in
            if let existing = all[key] { return existing.stream }
            all[key] = Follow(id: id, stream: stream, key: key, run: run)
            return stream
        }
        wake.signal()
        return chosen
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        wake.signal()
        _ = stopped.wait(timeout: .now() + .milliseconds(blockMillis + timeoutMillis + 500))
    }

    private func run() {
        var lastInterruptCheck = MonotonicClock.nowNanos()
        while running.load(ordering: .relaxed) {
            let current = follows.withLock { Array($0) }
            if current.isEmpty {
                _ = wake.wait(timeout: .now() + .seconds(1))
                continue
            }
            do {
                if clientID.load(ordering: .relaxed) == 0, let id = try connection.command(["CLIENT", "ID"]).integer {
                    clientID.store(id, ordering: .relaxed)
                }
                var arguments = ["XREAD", "COUNT", "1000", "BLOCK", String(blockMillis), "STREAMS"]
                arguments += current.map { $0.key }
                arguments += current.map { "0-\($0.value.stream.lastEventID)" }
                let reply = try connection.command(arguments, timeoutMillis: blockMillis + timeoutMillis)
                if case .error(let message) = reply, !message.hasPrefix("UNBLOCKED") {
                    throw RedisError("\(connection.address): \(message)")
                }
                deliver(reply, current)
                // Every half lease, and at least once a second: a lost stream is noticed in
                // about a second whatever the lease.
                if MonotonicClock.nowNanos() - lastInterruptCheck >= UInt64(min(leaseMillis / 2, 1_000)) * 1_000_000 {
                    lastInterruptCheck = MonotonicClock.nowNanos()
                    try endExpiredRuns()
                }
            } catch {
                clientID.store(0, ordering: .relaxed)
                breakAll("\(error)")
                // Back off before trying Redis again; a new follower wakes it early.
                _ = wake.wait(timeout: .now() + .milliseconds(200))
            }
        }
        connection.disconnect()
        stopped.signal()
    }

    /// Feeds what `XREAD` returned: `[[key, [[entry-id, [field, value, ...]], ...]], ...]`.
    private func deliver(_ reply: RedisReply, _ current: [(key: String, value: Follow)]) {
        guard let streams = reply.array else { return }
        let byKey = Dictionary(current.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        for entry in streams {
            guard let pair = entry.array, pair.count == 2, let key = pair[0].string, let target = byKey[key],
                  let entries = pair[1].array else { continue }
            let events = entries.compactMap(RedisTail.event)
            let status = events.last.flatMap { $0.name == "done" ? RedisTail.status(ofDone: $0) : nil }
            target.stream.ingest(events, status: status)
            if status != nil {
                follows.withLock { all in _ = all.removeValue(forKey: key) }
                onFinished(target.stream)
            }
        }
    }

    /// Asks Redis to end every followed run whose lease expired (its gateway died), and ends
    /// here the runs Redis can no longer carry: a stream that disappeared (deleted, expired)
    /// or an interruption Redis refused to record (full, read-only). Their subscribers would
    /// otherwise wait for events that never come.
    private func endExpiredRuns() throws(RedisError) {
        for follow in follows.withLock({ Array($0.values) }) {
            let held = follow.stream.lastEventID
            let arguments = ["EVAL", RedisScripts.checkFollowed, "3", RedisScripts.metaKey(follow.id), RedisScripts.leaseKey(follow.id),
                             follow.key, String(held)]
                + interruptArguments(follow.id, follow.run)
            switch try connection.command(arguments) {
            case .integer(RedisScripts.streamLost):
                endHere(follow, "the result's event stream is gone from the store (deleted or expired); upload the photo again to run it again")
            case .error(let message):
                endHere(follow, "the result store refused to record this run's end (\(RedisTail.firstWords(message))); upload the photo again later")
            default:
                break
            }
        }
    }

    /// Ends a followed run on this gateway only, with `stage-error` `interrupted` and `done`
    /// `failed` after the events held, when Redis cannot record that end for everyone.
    private func endHere(_ follow: Follow, _ message: String) {
        let removed = follows.withLock { all -> Bool in
            guard all[follow.key]?.stream === follow.stream else { return false }
            all[follow.key] = nil
            return true
        }
        guard removed else { return }
        let next = follow.stream.lastEventID + 1
        follow.stream.ingest(RedisTail.interruptedEvents(firstID: next, message: message), status: .failed)
    }

    static func interruptedEvents(firstID: Int, message: String) -> [ResultEvent] {
        [ResultEvent(id: firstID, name: "stage-error", payload: ["stage": "run", "code": "interrupted", "retryable": true, "message": .string(message)]),
         ResultEvent(id: firstID + 1, name: "done", payload: ["status": "failed", "stages": .object(JSONObject()), "stored": false, "interrupted": true])]
    }

    /// A Redis error's kind (`OOM command not allowed…` → `OOM command not allowed`), without
    /// the script text Redis may append.
    static func firstWords(_ message: String) -> String {
        String(message.prefix { $0 != "." && $0 != "\n" && $0 != ":" }.prefix(80))
    }

    /// Redis cannot be read: every local copy ends (clients reconnect and resume from Redis).
    private func breakAll(_ reason: String) {
        let broken = follows.withLock { all -> [Follow] in
            let values = Array(all.values)
            all.removeAll()
            return values
        }
        for follow in broken { follow.stream.breakOff(reason) }
    }

    /// One stream entry `[0-N, [name, ..., envelope, ...]]` as the event it holds.
    static func event(_ entry: RedisReply) -> ResultEvent? {
        guard let parts = entry.array, parts.count == 2, let entryID = parts[0].string,
              let fields = parts[1].array else { return nil }
        guard let dash = entryID.firstIndex(of: "-"), let id = Int(entryID[entryID.index(after: dash)...]) else { return nil }
        var name: String?
        var envelope: String?
        var index = 0
        while index + 1 < fields.count {
            switch fields[index].string {
            case "name": name = fields[index + 1].string
            case "envelope": envelope = fields[index + 1].string
            default: break
            }
            index += 2
        }
        guard let name, let envelope else { return nil }
        return ResultEvent(id: id, name: name, envelope: envelope)
    }

    /// The outcome a `done` event carries (`data.status`).
    static func status(ofDone event: ResultEvent) -> ResultStatus {
        guard let envelope = try? JSONParser.parse(event.envelope),
              case .string(let text)? = envelope["data"]?["status"], let status = ResultStatus(rawValue: text),
              status != .running
        else { return .failed }
        return status
    }
}
