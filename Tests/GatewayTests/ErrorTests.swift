import Foundation
import TestSupport
import Testing
@testable import Gateway

/// Every error status of PROTOCOL.md, each with its JSON body.
@Suite(.serialized) struct ErrorTests {
    func expectError(_ response: HTTPMessage, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        #expect(response.bodyText.hasPrefix("{\"error\":{\"code\":\"\(code)\",\"message\":\""), sourceLocation: sourceLocation)
    }

    @Test(arguments: Transport.allCases) func textFileNamedPNGGets415(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let text = Array(String(repeating: "this is not an image at all\n", count: 100).utf8)
        expectError(try server.request(Multipart.request(path: "/classify", fileBytes: text)), 415, "unsupported_media_type")
        // Raw body with an image content type but text bytes.
        let raw = "POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: \(text.count)\r\n\r\n"
        expectError(try server.request(Array(raw.utf8) + text), 415, "unsupported_media_type")
        // A PNG signature with a broken header is no image either.
        let truncated: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        expectError(try server.request(Multipart.request(path: "/classify", fileBytes: truncated)), 415, "unsupported_media_type")
    }

    @Test(arguments: Transport.allCases) func oversizedUploadGets413BeforeTheBodyIsSent(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let client = try server.client()
        let size = 25 * 1024 * 1024
        try client.send("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: \(size)\r\n\r\n")
        try client.read(until: { $0.contains("\r\n\r\n") && $0.contains("}") })
        var slice = client.received[...]
        let response = try #require(HTTPMessage.parseOne(&slice))
        expectError(response, 413, "upload_too_large")
        #expect(response.header("Connection") == "close")
        #expect(response.bodyText.contains("20 MiB"))
    }

    @Test(arguments: Transport.allCases) func uploadGrowingPastTheLimitWhileStreamingGets413(_ transport: Transport) throws {
        let server = try TestServer(transport: transport) { $0.maxUploadBytes = 64 * 1024 }
        defer { server.stop() }
        let client = try server.client()
        try client.send("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
        let png = TestImages.png(width: 200, height: 200)
        #expect(png.count > 64 * 1024)
        let chunk = Array(png.prefix(100 * 1024))
        try client.send(Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Array("\r\n".utf8))
        let bytes = try client.readToEnd()
        var slice = bytes[...]
        expectError(try #require(HTTPMessage.parseOne(&slice)), 413, "upload_too_large")
    }

    @Test(arguments: Transport.allCases) func badUploadsGet400(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let png = TestImages.png(width: 8, height: 8)
        // No file part.
        let noFile = "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--\r\n"
        expectError(try server.request("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(noFile.utf8.count)\r\n\r\n\(noFile)"), 400, "no_file")
        // No body at all.
        expectError(try server.request("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"), 400, "no_file")
        // Multipart without a boundary parameter.
        expectError(try server.request("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data\r\nContent-Length: 4\r\n\r\nabcd"), 400, "malformed_upload")
        // Missing closing boundary.
        let body = Multipart.body(fileBytes: png).dropLast(8)
        let head = "POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\(Multipart.boundary)\r\nContent-Length: \(body.count)\r\n\r\n"
        expectError(try server.request(Array(head.utf8) + body), 400, "malformed_upload")
        // Empty file.
        expectError(try server.request(Multipart.request(path: "/classify", fileBytes: [])), 400, "empty_file")
        // Malformed request line.
        expectError(try server.request("GET\r\n\r\n"), 400, "bad_request")
    }

    @Test(arguments: Transport.allCases) func unknownThingsGet404And405(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        expectError(try server.get("/results/" + String(repeating: "a", count: 64)), 404, "result_not_found")
        expectError(try server.get("/results/not-an-id/events"), 404, "not_found")
        expectError(try server.get("/no/such/file.js"), 404, "not_found")
        let wrongMethod = try server.request("GET /classify HTTP/1.1\r\nHost: t\r\n\r\n")
        expectError(wrongMethod, 405, "method_not_allowed")
        #expect(wrongMethod.header("Allow") == "POST")
        let delete = try server.request("DELETE /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        expectError(delete, 405, "method_not_allowed")
        #expect(delete.header("Allow") == "GET, HEAD")
    }

    @Test(arguments: Transport.allCases) func limitsOnRequestLineAndHeaders(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        expectError(try server.request("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n"), 414, "uri_too_long")
        expectError(try server.request("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "b", count: 20000) + "\r\n\r\n"), 431, "headers_too_large")
        expectError(try server.request("GET / HTTP/2.0\r\nHost: t\r\n\r\n"), 505, "http_version_not_supported")
    }

    @Test(arguments: Transport.allCases) func overloadGets503WithRetryAfter(_ transport: Transport) throws {
        let gate = GateProducer()
        let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: gate)) {
            $0.workers = 1
            $0.queueLimit = 0
        }
        defer { server.stop(); gate.open(times: 4) }
        let busy = try server.client()
        try busy.send(Multipart.request(path: "/classify", fileBytes: TestImages.png(width: 8, height: 8, seed: 1)))
        #expect(waitUntil { gate.calls.load(ordering: .relaxed) == 1 })
        let refused = try server.classify(TestImages.png(width: 8, height: 8, seed: 2))
        expectError(refused, 503, "overloaded")
        #expect(refused.header("Retry-After") == "5")
        gate.open()
        try busy.read(until: { $0.contains("event: done") })
    }

    /// A keep-alive connection's one deadline moves with each request (header, none, idle)
    /// while its loop timer is moved only when the deadline comes earlier: a client that keeps
    /// asking outlives both timeouts, a head left half-sent after answered requests still gets
    /// its 408 in time, and a connection left idle is closed after the idle timeout.
    @Test func deadlinesFollowAKeepAliveConnection() throws {
        let server = try TestServer {
            $0.http.headerTimeoutMillis = 300
            $0.http.idleTimeoutMillis = 2_000
        }
        defer { server.stop() }
        let request = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"

        let busy = try server.client()
        let started = TestClient.now()
        var answered = 0
        var lastAnswer = started
        while TestClient.now() - started < 2.5 {  // past both timeouts
            try busy.send(request)
            #expect(try busy.nextResponse().status == 200)
            lastAnswer = TestClient.now()
            answered += 1
            usleep(100_000)  // the client's own pace between requests (input, not synchronisation)
        }
        #expect(answered >= 8)
        // Idle now: closed after the idle timeout (counted from the last answer), not before.
        #expect(try busy.readToEnd(timeout: 5).isEmpty)
        let idled = TestClient.now() - lastAnswer
        #expect(idled >= 1.9 && idled < 6, "closed after \(idled) s")

        // After answered requests and a pause past the first header deadline, the loop timer
        // waits for the idle deadline; a half-sent head must bring it forward.
        let slow = try server.client()
        for _ in 0..<3 {
            try slow.send(request)
            #expect(try slow.nextResponse().status == 200)
        }
        usleep(500_000)  // the client's pause (input): the connection's first timer fires meanwhile
        try slow.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        let halfFrom = TestClient.now()
        var rest = try slow.readToEnd(timeout: 5)[...]
        let response = try #require(HTTPMessage.parseOne(&rest))
        expectError(response, 408, "request_timeout")
        let waited = TestClient.now() - halfFrom
        #expect(waited >= 0.25 && waited < 1.2, "408 after \(waited) s (header timeout 0.3 s; the idle deadline was 1.5 s away)")
    }

    @Test(arguments: Transport.allCases) func slowHeaderClientIsCutOffWhileOthersAreServed(_ transport: Transport) throws {
        let server = try TestServer(transport: transport) {
            $0.http.headerTimeoutMillis = 300
            $0.http.tlsHandshakeTimeoutMillis = 300
        }
        defer { server.stop() }
        let slow = try server.client()
        try slow.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        let started = TestClient.now()
        #expect(try server.get("/healthz").status == 200)
        let bytes = try slow.readToEnd(timeout: 5)
        var slice = bytes[...]
        let response = try #require(HTTPMessage.parseOne(&slice))
        expectError(response, 408, "request_timeout")
        #expect(TestClient.now() - started >= 0.25)
        // A silent connection is closed without an answer.
        let silent = try server.client()
        #expect(try silent.readToEnd(timeout: 5).isEmpty)
    }
}
