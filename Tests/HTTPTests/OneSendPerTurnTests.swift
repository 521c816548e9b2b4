import Dispatch
import EventLoop
import Glibc
import HTTP
import Synchronization
import TestSupport
import Testing

/// What one loop turn writes to a connection leaves in one system call (the loop sends each
/// written stream's bytes when the turn ends), counted by the loop's `sendCalls`.
@Suite struct OneSendPerTurnTests {
    /// `send`/`writev` calls made so far by the server's one loop, read on its thread.
    static func sendCalls(_ server: HTTPServer) -> Int {
        let loop = server.group.loops[0]
        let count = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        loop.execute {
            count.withLock { $0 = loop.sendCalls }
            done.signal()
        }
        done.wait()
        return count.withLock { $0 }
    }

    /// A blocking client socket whose reads give up after 5 s (a missing answer fails the test
    /// rather than hanging it).
    static func client(_ port: Int) throws -> Int32 {
        let fd = try connectLoopback(port: port)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Reads until `received` ends with `marker`.
    static func read(_ fd: Int32, until marker: String, into received: inout [UInt8]) throws {
        let tail = Array(marker.utf8)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !(received.count >= tail.count && Array(received.suffix(tail.count)) == tail) {
            let n = recv(fd, &buffer, buffer.count, 0)
            try #require(n > 0, "no more bytes from the server")
            received += buffer[0..<n]
        }
    }

    @Test func anSSEStartLeavesInOneSend() throws {
        // The start of an event stream as the gateway makes it: the head, the retry line, the
        // first event, each written on its own.
        let server = try HTTPServer.loopback { _, _, writer in
            writer.beginStream(status: .ok, headers: HTTPHeaders([("Content-Type", "text/event-stream")]))
            writer.write(Array("retry: 2000\n\n".utf8))
            writer.write(Array("id: 1\nevent: first\ndata: {}\n\n".utf8))
        }
        defer { server.shutdown() }
        let fd = try OneSendPerTurnTests.client(server.port)
        defer { close(fd) }
        let before = OneSendPerTurnTests.sendCalls(server)
        let request = Array("GET /events HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        try #require(send(fd, request, request.count, 0) == request.count)
        var received: [UInt8] = []
        try OneSendPerTurnTests.read(fd, until: "data: {}\n\n\r\n", into: &received)
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 "))
        #expect(text.contains("Transfer-Encoding: chunked\r\n"))
        #expect(text.contains("retry: 2000\n\n"))
        #expect(OneSendPerTurnTests.sendCalls(server) - before == 1)
    }

    @Test func pipelinedResponsesOfOneReadLeaveInOneSend() throws {
        let server = try HTTPServer.loopback { head, _, writer in writer.send(.text(.ok, "hello \(head.path)\n")) }
        defer { server.shutdown() }
        let fd = try OneSendPerTurnTests.client(server.port)
        defer { close(fd) }
        let before = OneSendPerTurnTests.sendCalls(server)
        // Five requests in one send (one segment on loopback: the server reads them at once).
        let requests = Array((0..<5).map { "GET /p\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined().utf8)
        try #require(send(fd, requests, requests.count, 0) == requests.count)
        var received: [UInt8] = []
        try OneSendPerTurnTests.read(fd, until: "hello /p4\n", into: &received)
        let text = String(decoding: received, as: UTF8.self)
        #expect((0..<5).allSatisfy { text.contains("hello /p\($0)\n") })
        #expect(OneSendPerTurnTests.sendCalls(server) - before == 1)
    }

    @Test func keepAliveRequestsTakeOneSendEach() throws {
        let server = try HTTPServer.loopback { head, _, writer in writer.send(.text(.ok, "hello \(head.path)\n")) }
        defer { server.shutdown() }
        let fd = try OneSendPerTurnTests.client(server.port)
        defer { close(fd) }
        let before = OneSendPerTurnTests.sendCalls(server)
        var received: [UInt8] = []
        for i in 0..<20 {
            let request = Array("GET /k\(i) HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
            try #require(send(fd, request, request.count, 0) == request.count)
            try OneSendPerTurnTests.read(fd, until: "hello /k\(i)\n", into: &received)
        }
        #expect(OneSendPerTurnTests.sendCalls(server) - before == 20)
    }
}
