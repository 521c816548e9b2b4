import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

// GET /healthz -> "ok\n"; GET /sse -> text/event-stream, one shared ticker broadcasting
// `data: tick N <unix-ns>` to every subscriber (same routes as the Hummingbird peer).
// Usage: peer-flyingfox [--host H] [--port P] [--tick-ms MS] [--nodelay]
//
// --nodelay: FlyingFox 0.27 sets no TCP_NODELAY and offers no hook on accepted sockets, so
// small responses wait for Nagle + delayed ACK. Linux copies TCP_NODELAY from a listening
// socket to the sockets it accepts, so we set it on the listener (found by its port) once
// the server listens. See bench/peers/README.md.

var host = "127.0.0.1", port = 8082, tickMillis = 1000, noDelay = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    if flag == "--nodelay" { noDelay = true; continue }
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
    private let subscribers = Mutex<(next: Int, all: [Int: AsyncStream<[UInt8]>.Continuation])>((0, [:]))

    func subscribe() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(8))
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
            let frame = Array("data: tick \(tick) \(Int(now.tv_sec) * 1_000_000_000 + now.tv_nsec)\n\n".utf8)
            for continuation in subscribers.withLock({ Array($0.all.values) }) {
                continuation.yield(frame)
            }
        }
    }
}

/// The ticks of one subscriber as the byte sequence FlyingFox streams (chunked) to the client.
struct TickBytes: AsyncBufferedSequence {
    typealias Element = UInt8
    let ticks: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(ticks: ticks.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var ticks: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            if pending.isEmpty { pending = await ticks.next() ?? [] }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if pending.isEmpty, let frame = await ticks.next() { pending = frame }
            guard !pending.isEmpty else { return nil }
            let take = Array(pending.prefix(count))
            pending.removeFirst(take.count)
            return take
        }
    }
}

/// Sets TCP_NODELAY on our listening socket so accepted sockets inherit it (Linux).
func setNoDelayOnListener(port: Int) -> Bool {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return false }
    for name in names {
        guard let fd = Int32(name) else { continue }
        var listening: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0, listening == 1 else { continue }
        var address = sockaddr_in()
        var addressLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &addressLength) }
        }
        guard named == 0, Int(UInt16(bigEndian: address.sin_port)) == port else { continue }
        var one: Int32 = 1
        return setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0
    }
    return false
}

let ticker = Ticker()
let server = HTTPServer(address: try .inet(ip4: host, port: UInt16(port)), timeout: 3600)
await server.appendRoute("GET /healthz") { _ in
    HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain"], body: Data("ok\n".utf8))
}
await server.appendRoute("GET /sse") { _ in
    HTTPResponse(statusCode: .ok,
                 headers: [.contentType: "text/event-stream", HTTPHeader("Cache-Control"): "no-cache"],
                 body: HTTPBodySequence(from: TickBytes(ticks: ticker.subscribe())))
}
Task { await ticker.run(everyMillis: tickMillis) }
if noDelay {
    Task {
        try await server.waitUntilListening()
        guard setNoDelayOnListener(port: port) else { fatalError("could not set TCP_NODELAY on the listener") }
    }
}
try await server.run()
