import Foundation
import Gateway
import Glibc
import HTTP
import TestSupport
import Testing

/// The attacks of a hostile review, each on loopback against a real gateway.
@Suite(.serialized) struct HardeningTests {
    // MARK: 5. nothing after Connection: close

    @Test(arguments: Transport.allCases) func anUploadPipelinedBehindAnEarly415IsNotRun(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let png = TestImages.png(width: 5, height: 3, seed: 41)
        let id = TestImages.sha256Hex(png)
        let notAnImage = Array("this is a text file, not an image at all".utf8)
        let first = Array("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: \(notAnImage.count)\r\n\r\n".utf8)
            + notAnImage
        let client = try server.client()
        try client.send(first + Multipart.request(path: "/classify", fileBytes: png))
        let responses = HTTPMessage.parseAll(try client.readToEnd())
        #expect(responses.map(\.status) == [415])
        #expect(responses.first?.header("Connection") == "close")
        // The upload behind it was neither run nor stored.
        #expect(try server.get("/results/\(id)").status == 404)
        #expect(try server.get("/metrics").bodyText.contains("lens_gpt_uploads_total{outcome=\"accepted\"} 0\n"))
        #expect(server.gateway.context.hub.runningCount == 0)
    }

    @Test func aRequestAfterConnectionCloseIsNotAnswered() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.client()
        try client.send("GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /index.html HTTP/1.1\r\nHost: t\r\n\r\n")
        let responses = HTTPMessage.parseAll(try client.readToEnd())
        #expect(responses.map(\.status) == [200])
    }

    // MARK: 8. Host

    @Test(arguments: Transport.allCases) func hostIsRequiredOnceInHTTP11(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let missing = try server.request("GET /index.html HTTP/1.1\r\n\r\n")
        #expect(missing.status == 400)
        #expect(missing.bodyText.contains("bad_request"))
        #expect(missing.bodyText.contains("Host"))
        let twice = try server.request("GET /index.html HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        #expect(twice.status == 400)
        let twiceIn10 = try server.request("GET /index.html HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n")
        #expect(twiceIn10.status == 400)
        let list = try server.request("GET /index.html HTTP/1.1\r\nHost: a, b\r\n\r\n")
        #expect(list.status == 400)
        // HTTP/1.0 may leave it out; one Host is fine.
        #expect(try server.request("GET /index.html HTTP/1.0\r\n\r\n").status == 200)
        #expect(try server.request("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        // Serving goes on.
        #expect(try server.get("/healthz").status == 200)
    }

    // MARK: 7. token redaction

    @Test func everyTokenInTheQueryIsRedacted() {
        let secret = "c2VjcmV0LXRva2Vu.1700000000.abcdef"
        let targets = [
            "/results/ID?xtoken=1&token=\(secret)",
            "/results/ID?token=1&token=\(secret)",
            "/results/ID/events?lastEventId=3&TOKEN=\(secret)",
            "/results/ID?a=b&%74oken=\(secret)",
            "/results/ID?token=\(secret)&token=\(secret)&x=1",
            "/results/ID?access_token=\(secret)",
        ]
        for target in targets {
            let logged = RequestLogRedaction.redacted(target)
            #expect(!logged.contains(secret), "\(logged)")
            #expect(logged.contains("REDACTED"))
        }
        #expect(RequestLogRedaction.redacted("/results/ID?lastEventId=3") == "/results/ID?lastEventId=3")
        #expect(RequestLogRedaction.redacted("/results/ID?token=s&x=1") == "/results/ID?token=REDACTED&x=1")
    }

    /// The log's timestamps are computed, not taken from gmtime_r (whose lock the loops shared):
    /// they agree with it from 1970 to 2106, leap days and century years included.
    @Test func logTimestampsAgreeWithGmtime() {
        func expectSame(_ t: Int) {
            var seconds = time_t(t)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var expected = [UInt8](repeating: 0, count: 32)
            let length = strftime(&expected, expected.count, "%Y-%m-%dT%H:%M:%S+0000", &parts)
            var line: [UInt8] = []
            RequestLogLine.appendTimestamp(time_t(t), to: &line)
            #expect(line == Array(expected[0..<length]), "at \(t)")
        }
        var checked = 0
        // Steps that walk through every weekday, hour and minute offset up to 2108.
        for t in stride(from: 0, to: 4_354_819_200, by: 86_399 * 7 + 3_607) {
            expectSame(t)
            checked += 1
        }
        // 2000-02-29 (a leap century), 2024-02-29, 2100-03-01 (not a leap year).
        for t in [951_782_399, 951_782_400, 1_709_251_199, 1_709_251_200, 4_107_542_400] { expectSame(t) }
        #expect(checked > 7_000)
    }

    /// The request log line, byte for byte: the shape of the other log lines, the token redacted.
    @Test func theRequestLogLineHasTheLogsShape() {
        let entry = HTTPRequestLog(id: RequestID(prefix: "a1b2-0-", number: 17), method: "GET", target: "/results/ID/events?token=secret",
                                   status: 200, bytesSent: 1234, durationMillis: 12.34, peer: "127.0.0.1:5000",
                                   closedEarly: false)
        #expect(entry.id.text == "a1b2-0-17")
        var line: [UInt8] = []
        RequestLogLine.append(entry, at: 1_795_856_584, to: &line)  // 2026-11-28T09:03:04Z
        #expect(String(decoding: line, as: UTF8.self) == "2026-11-28T09:03:04+0000 info lens-gpt : bytes=1234 "
            + "closed_early=false duration_ms=12.3 peer=127.0.0.1:5000 request_id=a1b2-0-17 [Gateway] "
            + "GET /results/ID/events?token=REDACTED 200")
        var early = entry
        early.closedEarly = true
        early.durationMillis = 0.04
        early.bytesSent = 0
        line = []
        RequestLogLine.append(early, at: 0, to: &line)
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("1970-01-01T00:00:00+0000 info lens-gpt : bytes=0 closed_early=true duration_ms=0.0 "))
    }

    // MARK: 10. a busy port

    @Test func aBusyPortIsAClearStartupError() throws {
        let first = try TestServer()
        defer { first.stop() }
        let port = first.gateway.port
        var failure: (any Error)?
        do {
            let second = try TestServer { $0.http.port = port }
            second.stop()
        } catch {
            failure = error
        }
        let message = failure.map { "\($0)" } ?? "(started)"
        #expect(failure != nil, "a second server shared port \(port)")
        #expect(message.contains("\(port)") && message.contains("in use"), "\(message)")
    }

    @Test func sharingAPortIsAnExplicitSetting() throws {
        let first = try TestServer { $0.http.reusePort = true }
        defer { first.stop() }
        let second = try TestServer {
            $0.http.reusePort = true
            $0.http.port = first.gateway.port
        }
        defer { second.stop() }
        #expect(second.gateway.port == first.gateway.port)
        #expect(try first.get("/healthz").status == 200)
    }
}

/// A client that writes what the kernel takes without blocking and never reads.
final class PipeliningAttacker {
    let client: TestClient

    init(port: Int, request: String, bytes: Int) throws {
        client = try TestClient(port: port)
        var small: Int32 = 4096
        setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(client.fd, F_SETFL, fcntl(client.fd, F_GETFL) | O_NONBLOCK)
        var payload: [UInt8] = []
        let one = Array(request.utf8)
        while payload.count + one.count <= bytes { payload += one }
        var offset = 0
        let deadline = TestClient.now() + 5
        while offset < payload.count && TestClient.now() < deadline {
            let n = payload.withUnsafeBytes { raw in
                Glibc.send(client.fd, raw.baseAddress! + offset, payload.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 { offset += n } else { break }  // the server stopped reading: enough
        }
    }
}

/// Measured on a `lens-gpt serve` child process: the test process's own memory moves with
/// whatever other suites run beside this one.
@Suite(.serialized, .enabled(if: ServeProcess.available)) struct PipeliningMemoryTests {
    /// Memory pinned by pipelining: 256 KiB of pipelined GETs in one go, never read, from 12 clients.
    @Test func pipelinedResponsesThatAreNeverReadDoNotPinMemory() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-pipelining-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let css = String(repeating: ".card { margin: 0 auto; padding: 1rem; }\n", count: 270)  // ~11 KiB, like web/app.css
        try Data(css.utf8).write(to: URL(fileURLWithPath: directory + "/app.css"))
        let server = try ServeProcess(directory: directory, arguments: [
            "--no-browser", "--idle-timeout-ms", "1000", "--write-timeout-ms", "1000"])
        defer { server.kill() }
        let before = server.residentBytes
        var attackers: [PipeliningAttacker] = []
        for _ in 0..<12 {
            attackers.append(try PipeliningAttacker(
                port: server.port, request: "GET /app.css HTTP/1.1\r\nHost: localhost:3002\r\nUser-Agent: pipeline\r\n\r\n",
                bytes: 256 * 1024))
        }
        // Wait until the server has answered what it is going to answer (its count stops moving),
        // keeping the largest resident size seen on the way.
        var last = -1
        var peak = server.residentBytes
        _ = waitUntil(timeout: 30) {
            let now = answered(server.port)
            peak = max(peak, server.residentBytes)
            defer { last = now }
            if now == last && now > 0 { return true }
            usleep(200_000)  // sampling interval of the count, bounded by the deadline
            return false
        }
        let grown = (peak - before) / 1_048_576
        print("pipelining: \(answered(server.port)) responses for 12 clients; RSS of lens-gpt \(before / 1_048_576) MiB -> peak \(peak / 1_048_576) MiB")
        #expect(before > 0 && peak > 0)
        #expect(answered(server.port) > 12, "the attackers' requests were not answered at all")
        #expect(grown < 48, "RSS grew by \(grown) MiB")
        // The clients never read: the write timeout closes their connections and frees the queues.
        #expect(waitUntil(timeout: 15) { openConnections(server.port) == 1 }, "connections still open besides the probe")
        withExtendedLifetime(attackers) {}
    }

    /// 200 answers so far (the scrapes count too: a handful against thousands of GETs).
    private func answered(_ port: Int) -> Int { metric(port, "lens_gpt_http_requests_total{status=\"200\"}") ?? -1 }

    private func openConnections(_ port: Int) -> Int { metric(port, "lens_gpt_open_connections ") ?? -1 }

    private func metric(_ port: Int, _ prefix: String) -> Int? {
        guard let client = try? TestClient(port: port),
              (try? client.send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")) != nil,
              let text = try? client.readResponse(timeout: 10).bodyText,
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return line.split(separator: " ").last.flatMap { Int($0) }
    }
}
