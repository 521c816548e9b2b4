import Foundation
import TestSupport
import Testing
@testable import Gateway
import Pipeline
import Synchronization

/// Uploads built to break things: each gets a clear 4xx (or is handled safely) and the server
/// keeps serving.
@Suite(.serialized) struct HostileInputTests {
    func expectStatus(_ response: HTTPMessage, _ status: Int, _ code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.bodyText)", sourceLocation: sourceLocation)
        if let code { #expect(response.bodyText.contains("\"code\":\"\(code)\""), sourceLocation: sourceLocation) }
    }

    func multipart(boundaryHeader: String, body: [UInt8]) -> [UInt8] {
        Array("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\(boundaryHeader)\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    @Test func boundaryTrouble() throws {
        let server = try TestServer()
        defer { server.stop() }
        let png = TestImages.png(width: 8, height: 8)
        // The declared boundary never appears in the body.
        expectStatus(try server.request(multipart(boundaryHeader: "something-else", body: Multipart.body(fileBytes: png))), 400, "malformed_upload")
        // A boundary with characters RFC 2046 does not allow.
        expectStatus(try server.request(multipart(boundaryHeader: "\"a\\b{}\"", body: Multipart.body(fileBytes: png))), 400, "malformed_upload")
        // A control character in the header value is refused by the request parser itself.
        expectStatus(try server.request(multipart(boundaryHeader: "a\u{7f}b", body: Multipart.body(fileBytes: png))), 400, "bad_request")
        // The boundary text inside the image data (not at a line start) is data, not a delimiter.
        var tricky = png
        tricky.append(contentsOf: Array("--\(Multipart.boundary)--junk".utf8))
        let response = try server.classify(tricky)
        expectStatus(response, 200)
        #expect(response.bodyText.contains(#""sha256":"\#(TestImages.sha256Hex(tricky))""#))
        #expect(response.bodyText.contains(#""bytes":\#(tricky.count)"#))
    }

    @Test func contentLengthLies() throws {
        let server = try TestServer {
            $0.http.bodyRateWindowMillis = 300
            $0.http.minBodyBytesPerSecond = 1024
        }
        defer { server.stop() }
        let png = TestImages.png(width: 8, height: 8)
        let body = Multipart.body(fileBytes: png)
        // Declares more than it sends, then waits: cut off by the body rate.
        let shortHead = "POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\(Multipart.boundary)\r\nContent-Length: \(body.count + 5000)\r\n\r\n"
        let liar = try server.client()
        try liar.send(Array(shortHead.utf8) + body)
        var slice = try liar.readToEnd()[...]
        expectStatus(try #require(HTTPMessage.parseOne(&slice)), 408, "request_timeout")
        // Declares less than it sends: the body ends early (no closing boundary) and the rest is junk.
        let longHead = "POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\(Multipart.boundary)\r\nContent-Length: 100\r\n\r\n"
        let long = try server.client()
        try long.send(Array(longHead.utf8) + body)
        let answer = try long.readResponse()
        expectStatus(answer, 400)
        #expect(try server.get("/healthz").status == 200)
    }

    @Test func brokenChunkedAndInjectedHeaders() throws {
        let server = try TestServer()
        defer { server.stop() }
        let head = "POST /classify HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
        expectStatus(try server.request(head + "zz\r\nabc\r\n0\r\n\r\n"), 400, "bad_request")
        expectStatus(try server.request(head + "fffffffffffffffffffff\r\n"), 400)
        expectStatus(try server.request(head + "5\r\nabcdefgh\r\n0\r\n\r\n"), 400)
        // Smuggling: both framings.
        expectStatus(try server.request("POST /classify HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400)
        // Header injection: bare LF, CR inside a value, a space before the colon, NUL.
        expectStatus(try server.request("GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: b\rInjected: 1\r\n\r\n"), 400)
        expectStatus(try server.request("GET /healthz HTTP/1.1\r\nHost : t\r\n\r\n"), 400)
        expectStatus(try server.request("GET /healthz HTTP/1.1\r\nHost: t\u{0}x\r\n\r\n"), 400)
        #expect(try server.get("/healthz").status == 200)
    }

    @Test func filenamesAreNeverPaths() throws {
        let server = try TestServer()
        defer { server.stop() }
        let png = TestImages.png(width: 6, height: 6)
        for name in ["../../../../tmp/lens-gpt-escape.png", "a\u{0}b.png", "/etc/passwd", "..\\..\\x.png", String(repeating: "n", count: 5000)] {
            var body = Array("--\(Multipart.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".utf8)
            body += Array(name.utf8) + Array("\"\r\nContent-Type: image/png\r\n\r\n".utf8) + png + Array("\r\n--\(Multipart.boundary)--\r\n".utf8)
            let response = try server.request(multipart(boundaryHeader: Multipart.boundary, body: body))
            #expect(response.status == 200 || response.status == 400, "\(name.prefix(40)): \(response.status)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/lens-gpt-escape.png"))
        // Nothing but the store (and no upload left behind) in the data directory.
        let tmp = try FileManager.default.contentsOfDirectory(atPath: server.directory + "/data/tmp")
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: server.directory + "/data/tmp")) ?? ["?"]).isEmpty }, "\(tmp)")
        let data = try FileManager.default.contentsOfDirectory(atPath: server.directory + "/data").sorted()
        #expect(data.allSatisfy { $0 == "tmp" || $0.hasPrefix("results.sqlite") }, "\(data)")
    }

    @Test func hugeDeclaredImagesAndPolyglots() throws {
        let server = try TestServer()
        defer { server.stop() }
        // A valid PNG header declaring 100,000 × 100,000 pixels in a few hundred bytes.
        var bomb = TestImages.png(width: 1, height: 1)
        bomb.replaceSubrange(16..<24, with: TestImages.be32(100_000) + TestImages.be32(100_000))
        expectStatus(try server.classify(bomb), 413, "image_too_large")
        // A PNG that is also an HTML page: treated by its bytes, as a PNG, and never served back.
        let polyglot = TestImages.png(width: 4, height: 4) + Array("<html><script>alert(1)</script></html>".utf8)
        let response = try server.classify(polyglot)
        expectStatus(response, 200)
        #expect(response.bodyText.contains(#""format":"png""#))
        let sha = TestImages.sha256Hex(polyglot)
        #expect(try server.get("/\(sha)").status == 404)
        #expect(try server.get("/data/tmp").status == 404)
    }

    @Test func unwritableDataDirectoryGets507AndServingGoesOn() throws {
        let server = try TestServer()
        defer { server.stop() }
        let uploads = server.directory + "/data/tmp"
        try FileManager.default.removeItem(atPath: uploads)
        #expect(FileManager.default.createFile(atPath: uploads, contents: Data("not a directory".utf8)))
        expectStatus(try server.classify(TestImages.png(width: 4, height: 4)), 507, "storage_unavailable")
        #expect(try server.get("/healthz").status == 200)
    }

    @Test func aStoreThatFailsGets503AndKeepsNothing() throws {
        let store = FailingStore()
        let server = try TestServer(store: store)
        defer { server.stop() }
        expectStatus(try server.classify(TestImages.png(width: 4, height: 4)), 503, "store_unavailable")
        #expect(store.saved.isEmpty)
        #expect(server.gateway.context.hub.runningCount == 0)
    }

    @Test func aRunInterruptedByACrashRunsAgain() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-crash-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let image = TestImages.png(width: 5, height: 5)
        let sha = TestImages.sha256Hex(image)
        do {
            // A process that died mid-run left the result marked running.
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let store = try SQLiteResultStore(path: directory + "/results.sqlite")
            try store.markRunning(id: sha)
        }
        let counting = CountingProducer()
        let server = try TestServer(graph: TestGraphs.imageInfo(then: counting)) { $0.dataDirectory = directory }
        defer { server.stop() }
        #expect(try server.get("/results/\(sha)").status == 404)
        let response = try server.classify(image)
        #expect(SSE.parse(response.bodyText).last?.data.contains(#""status":"complete""#) == true)
        #expect(counting.calls.load(ordering: .relaxed) == 1)
    }

    @Test func fiveHundredUploadsAgainstASmallPoolLoseNothing() throws {
        let server = try TestServer {
            $0.workers = 2
            $0.queueLimit = 16
            $0.uploadsPerMinute = 0
        }
        defer { server.stop() }
        var clients: [TestClient] = []
        for i in 0..<500 {
            let client = try server.client()
            try client.send(Multipart.request(path: "/classify", fileBytes: TestImages.png(width: 4, height: 4, seed: UInt8(i % 256)) + [UInt8(i / 256)]))
            clients.append(client)
        }
        var completed = 0, refused = 0
        for client in clients {
            let response = try client.readResponse(timeout: 60)
            if response.status == 200 {
                #expect(SSE.parse(response.bodyText).last?.event == "done")
                completed += 1
            } else {
                #expect(response.status == 503)
                #expect(response.header("Retry-After") != nil)
                refused += 1
            }
        }
        #expect(completed + refused == 500)
        #expect(completed > 0)
        #expect(openServerSockets(port: server.port) > 0)  // the count sees the server's connections while they are open
        clients.removeAll()
        #expect(waitUntil { server.gateway.server.connections.current == 0 && server.gateway.context.hub.runningCount == 0 })
        // Every server-side socket of those 500 connections is closed again (other suites run
        // servers in this process too, so sockets are counted for this server's port only), and
        // no upload file is left behind.
        #expect(waitUntil { openServerSockets(port: server.port) == 0 }, "still open: \(openServerSockets(port: server.port))")
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: server.directory + "/data/tmp")) ?? ["?"]).isEmpty })
    }

    /// Connected (not listening) TCP sockets of this process whose local port is `port`, from
    /// /proc/net/tcp{,6} matched against the socket inodes in /proc/self/fd.
    func openServerSockets(port: Int) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var inodes: Set<String> = []
        for fd in fds {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd),
               target.hasPrefix("socket:[") {
                inodes.insert(String(target.dropFirst(8).dropLast()))
            }
        }
        var count = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // /proc files report size 0: read to the end rather than trusting the size.
            guard let handle = FileHandle(forReadingAtPath: table) else { continue }
            let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            try? handle.close()
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, let portHex = fields[1].split(separator: ":").last,
                      Int(portHex, radix: 16) == port, fields[3] != "0A", inodes.contains(String(fields[9])) else { continue }
                count += 1
            }
        }
        return count
    }
}

/// A store whose disk is gone: every write fails.
final class FailingStore: ResultStore {
    private let savedIDs = Mutex<[String]>([])
    var saved: [String] { savedIDs.withLock { $0 } }
    struct DiskGone: Error {}
    func load(id: String) throws -> (status: ResultStatus, events: [ResultEvent])? { nil }
    func markRunning(id: String) throws { throw DiskGone() }
    func save(id: String, status: ResultStatus, events: [ResultEvent]) throws { savedIDs.withLock { $0.append(id) } }
    func removeInterrupted() throws -> Int { 0 }
    func purge(olderThanSeconds seconds: Int64) throws -> Int { 0 }
    func check() throws { throw DiskGone() }
}
