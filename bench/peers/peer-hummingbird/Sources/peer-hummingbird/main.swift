import Foundation
import Hummingbird
import NIOCore
import Synchronization

// GET /healthz -> "ok\n"; GET /sse -> text/event-stream, one shared ticker broadcasting
// `data: tick N <unix-ns>` to every subscriber. The timestamp is taken when the tick is put,
// so a client can measure put-to-receipt delay (fan-out) as well as count ticks (capacity).
// Usage: peer-hummingbird [--host H] [--port P] [--tick-ms MS]

var host = "127.0.0.1", port = 8081, tickMillis = 1000
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    guard let value = arguments.next() else { fatalError("\(flag) needs a value") }
    switch flag {
    case "--host": host = value
    case "--port": port = Int(value) ?? port
    case "--tick-ms": tickMillis = Int(value) ?? tickMillis
    default: fatalError("unknown flag \(flag)")
    }
}

/// One producer, many subscribers: each subscriber is an AsyncStream continuation.
final class Ticker: Sendable {
    private let subscribers = Mutex<(next: Int, all: [Int: AsyncStream<ByteBuffer>.Continuation])>((0, [:]))

    func subscribe() -> AsyncStream<ByteBuffer> {
        // A subscriber that cannot keep up loses old ticks rather than growing memory.
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(8))
        let id = subscribers.withLock { s in
            s.next += 1
            s.all[s.next] = continuation
            return s.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.all.removeValue(forKey: id) }
        }
        return stream
    }

    func run(everyMillis interval: Int) async {
        var tick = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(interval))
            tick += 1
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let frame = ByteBuffer(string: "data: tick \(tick) \(Int(now.tv_sec) * 1_000_000_000 + now.tv_nsec)\n\n")
            for continuation in subscribers.withLock({ Array($0.all.values) }) {
                continuation.yield(frame)
            }
        }
    }
}

let ticker = Ticker()
let router = Router()
router.get("healthz") { _, _ in "ok\n" }
router.get("sse") { _, _ -> Response in
    var headers = HTTPFields()
    headers[.contentType] = "text/event-stream"
    headers[.cacheControl] = "no-cache"
    return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: ticker.subscribe()))
}
let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)))
Task { await ticker.run(everyMillis: tickMillis) }
try await app.runService()
