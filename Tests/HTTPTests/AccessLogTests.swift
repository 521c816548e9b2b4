import Glibc
import HTTP
import TestSupport
import Testing

/// The request log is written in batches by each loop: nothing per request, everything by the
/// flush timer or at shutdown, whole lines only.
@Suite struct AccessLogTests {
    /// A server whose request log goes to a temp file.
    final class LoggedServer {
        let server: HTTPServer
        let logPath: String
        let logFD: Int32
        /// The read end when the log is a pipe (as a container's standard error is).
        let pipeReadFD: Int32?
        private var piped: [UInt8] = []

        init(bufferBytes: Int, flushMillis: Int, loops: Int = 2, pipe usePipe: Bool = false) throws {
            logPath = "/tmp/lens-gpt-access-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            if usePipe {
                var ends: [Int32] = [0, 0]
                try #require(pipe(&ends) == 0)
                _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
                pipeReadFD = ends[0]
                logFD = ends[1]
            } else {
                pipeReadFD = nil
                logFD = open(logPath, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
            }
            var configuration = HTTPServerConfiguration()
            configuration.host = "127.0.0.1"
            configuration.port = 0
            configuration.loopCount = loops
            let settings = AccessLogSettings(fd: logFD, bufferBytes: bufferBytes, flushMillis: flushMillis) { entry, out in
                out.append(contentsOf: "\(entry.method) \(entry.target) \(entry.status) \(entry.bytesSent)".utf8)
            }
            server = try HTTPServer(configuration: configuration, accessLog: settings) { _, _ in
                BufferedRequestHandler { head, _, writer in writer.send(.text(.ok, "hello \(head.path)")) }
            }
        }

        func lines() -> [String] {
            if let pipeReadFD {
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = read(pipeReadFD, &chunk, chunk.count)
                    if n <= 0 { break }
                    piped += chunk[0..<n]
                }
                return String(decoding: piped, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            guard let file = fopen(logPath, "r") else { return [] }
            defer { fclose(file) }
            var text: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = fread(&chunk, 1, chunk.count, file)
                if n <= 0 { break }
                text += chunk[0..<n]
            }
            return String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        deinit {
            close(logFD)
            if let pipeReadFD { close(pipeReadFD) }
            unlink(logPath)
        }
    }

    /// Sends `count` keep-alive requests on one connection, reading each response.
    static func request(port: Int, count: Int, tag: String) throws {
        let fd = try connectLoopback(port: port)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for i in 0..<count {
            let request = Array("GET /\(tag)/\(i) HTTP/1.1\r\nHost: test\r\n\r\n".utf8)
            try #require(send(fd, request, request.count, 0) == request.count)
            // Read until the body (the path we sent) has arrived.
            var received: [UInt8] = []
            let marker = Array("hello /\(tag)/\(i)".utf8)
            while !(received.count >= marker.count && Array(received.suffix(marker.count)) == marker) {
                let n = recv(fd, &buffer, buffer.count, 0)
                try #require(n > 0, "the server closed the connection")
                received += buffer[0..<n]
            }
        }
    }

    @Test func linesWaitInTheBufferAndAreAllWrittenAtShutdown() throws {
        let logged = try LoggedServer(bufferBytes: 1 << 20, flushMillis: 600_000)
        try AccessLogTests.request(port: logged.server.port, count: 200, tag: "a")
        // Neither the size nor the time threshold was reached: nothing written per request.
        #expect(logged.lines() == [""])
        logged.server.shutdown()
        let lines = logged.lines().filter { !$0.isEmpty }
        #expect(lines.count == 200)
        for (i, line) in lines.enumerated() {
            #expect(line.hasPrefix("GET /a/\(i) 200 "), "line \(i): \(line)")
        }
    }

    @Test func theFlushTimerWritesWaitingLines() throws {
        let logged = try LoggedServer(bufferBytes: 1 << 20, flushMillis: 50)
        try AccessLogTests.request(port: logged.server.port, count: 3, tag: "t")
        waitUntil(timeout: 5, every: 0.01) { logged.lines().filter { !$0.isEmpty }.count >= 3 }  // the timer's write
        #expect(logged.lines().filter { !$0.isEmpty }.map { String($0.prefix(8)) } == ["GET /t/0", "GET /t/1", "GET /t/2"])
        logged.server.shutdown()
    }

    @Test(arguments: [false, true])
    func aFullBufferIsWrittenInWholeLinesFromEveryLoop(toPipe: Bool) throws {
        let logged = try LoggedServer(bufferBytes: 512, flushMillis: 600_000, pipe: toPipe)
        // Two connections, likely on both loops, writing concurrently.
        let port = logged.server.port
        let first = ClientThread { try? AccessLogTests.request(port: port, count: 300, tag: "x") }
        first.start()
        try AccessLogTests.request(port: port, count: 300, tag: "y")
        first.join()
        // Past the size threshold the lines go out (from the log's writer thread) before shutdown.
        #expect(waitUntil(timeout: 10) { logged.lines().filter { !$0.isEmpty }.count >= 300 })
        logged.server.shutdown()
        let lines = logged.lines().filter { !$0.isEmpty }
        #expect(lines.count == 600)
        // Every line is whole: lines of the two connections never run into each other.
        #expect(lines.allSatisfy { $0.wholeMatch(of: /GET \/[xy]\/\d+ 200 \d+/) != nil })
        for tag in ["x", "y"] {
            let ordered = lines.filter { $0.hasPrefix("GET /\(tag)/") }.map { $0.split(separator: " ")[1] }
            #expect(ordered == (0..<300).map { "/\(tag)/\($0)"[...] })
        }
    }
}

extension AccessLogTests {
    /// The log is written by a thread of its own: a log that takes nothing (a pipe nobody reads,
    /// standing in for a stalled disk) leaves requests answered on the same, only loop; its
    /// lines come out whole and in order once it is read again.
    @Test func aStalledLogDoesNotStallRequests() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        // The write end blocks when the pipe is full, as a write to a stalled disk does. Each
        // line is longer than the pipe holds, so the first one already stalls its writer.
        let lineBytes = 100_000
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loopCount = 1
        let settings = AccessLogSettings(fd: ends[1], bufferBytes: 1, flushMillis: 600_000) { entry, out in
            out.append(contentsOf: entry.target.utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "."), count: lineBytes))
        }
        let server = try HTTPServer(configuration: configuration, accessLog: settings) { _, _ in
            BufferedRequestHandler { head, _, writer in writer.send(.text(.ok, "hello \(head.path)")) }
        }
        defer { close(ends[1]) }
        let fd = try OneSendPerTurnTests.client(server.port)
        var received: [UInt8] = []
        for i in 0..<6 {
            let request = Array("GET /s/\(i) HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
            try #require(send(fd, request, request.count, 0) == request.count)
            try OneSendPerTurnTests.read(fd, until: "hello /s/\(i)", into: &received)  // fails after 5 s if the loop is stuck
        }
        close(fd)

        // Reading the pipe lets the writer go on: every line arrives, in order.
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        var log: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let complete = waitUntil(timeout: 10, every: 0.001) {
            while case let n = read(ends[0], &chunk, chunk.count), n > 0 { log += chunk[0..<n] }
            return log.count(where: { $0 == UInt8(ascii: "\n") }) >= 6
        }
        #expect(complete)
        server.shutdown()
        let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
        #expect(lines.map { String($0.prefix(4)) } == (0..<6).map { "/s/\($0)" })
        #expect(lines.allSatisfy { $0.count == 4 + lineBytes })
    }
}

/// A joinable pthread for a blocking client (tests only).
final class ClientThread: @unchecked Sendable {  // the pthread handle is written once at start and read at join
    private let body: @Sendable () -> Void
    private var handle = pthread_t()
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&handle, nil, { raw in
            guard let raw else { return nil }
            let me = Unmanaged<ClientThread>.fromOpaque(raw).takeRetainedValue()
            me.body()
            return nil
        }, box)
    }
    func join() { pthread_join(handle, nil) }
}
