import Foundation
import Glibc
import TestSupport
import Testing
@testable import Gateway
import Pipeline

/// Several gateways on one real `redis-server`: any gateway serves any result, one run per
/// image across gateways, a dead gateway's runs end as interrupted, Redis outages end streams
/// cleanly and clients resume.
@Suite(.serialized, .enabled(if: RedisServer.available)) struct RedisTests {
    func gateway(_ redis: RedisServer, graph: PipelineGraph? = nil, leaseMillis: Int = 1_500) throws -> TestServer {
        try TestServer(graph: graph) {
            $0.storeURL = redis.url
            $0.leaseMillis = leaseMillis
            $0.storeTimeoutMillis = 1_000
        }
    }

    func subscribe(_ server: TestServer, _ id: String, lastEventID: Int? = nil) throws -> TestClient {
        let client = try server.client()
        let header = lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? ""
        try client.send("GET /results/\(id)/events HTTP/1.1\r\nHost: t\r\n\(header)\r\n")
        return client
    }

    /// The SSE body of a finished response (after the blank line that ends the head, de-chunked).
    func body(_ client: TestClient) throws -> String {
        try client.readResponse(timeout: 20).bodyText
    }

    @Test func uploadToAStreamFromBByteForByte() throws {
        let redis = try RedisServer()
        let gate = GateProducer()
        let a = try gateway(redis, graph: TestGraphs.imageInfo(then: gate))
        let b = try gateway(redis, graph: TestGraphs.imageInfo(then: GateProducer()))
        defer { a.stop(); b.stop() }
        let image = TestImages.png(width: 11, height: 5)
        let sha = TestImages.sha256Hex(image)

        let uploader = try a.client()
        try uploader.send(Multipart.request(path: "/classify", fileBytes: image))
        try uploader.read(until: { $0.contains("event: image-info") })
        // B follows the running result from Redis: replay, then the live tail.
        let follower = try subscribe(b, sha)
        try follower.read(until: { $0.contains("event: image-info") })
        let second = try subscribe(b, sha)
        try second.read(until: { $0.contains("event: image-info") })
        #expect(try b.get("/results/\(sha)").bodyText.contains(#""status":"running""#))
        // Two subscribers on B, one Redis reader for the result.
        #expect(try b.get("/metrics").bodyText.contains("lens_gpt_results_followed 1\n"))
        gate.open()
        let fromA = try body(uploader)
        let fromB = try body(follower)
        #expect(fromA == fromB)
        #expect(try body(second) == fromA)
        #expect(SSE.parse(fromA).map(\.event) == ["progress", "image-info", "progress", "progress", "gate", "progress", "done"])
        #expect(SSE.parse(fromA).last?.data.contains(#""status":"complete""#) == true)
        // Finished: both serve the same replay and the same snapshot.
        #expect(try a.get("/results/\(sha)/events").bodyText == fromA)
        #expect(try b.get("/results/\(sha)/events").bodyText == fromA)
        #expect(try a.get("/results/\(sha)").bodyText == b.get("/results/\(sha)").bodyText)
        #expect(try b.get("/results/\(sha)/events", headers: "Last-Event-ID: 7\r\n").status == 204)
        // Complete results are served, not run again, wherever they are uploaded.
        let again = try b.classify(image)
        #expect(again.bodyText == fromA)
        #expect(gate.calls.load(ordering: .relaxed) == 1)
    }

    @Test func identicalUploadsToAAndBAtOnceMakeOneRun() throws {
        let redis = try RedisServer()
        let gateA = GateProducer(), gateB = GateProducer()
        let a = try gateway(redis, graph: TestGraphs.imageInfo(then: gateA))
        let b = try gateway(redis, graph: TestGraphs.imageInfo(then: gateB))
        defer { a.stop(); b.stop() }
        let image = TestImages.png(width: 9, height: 9)
        let request = Multipart.request(path: "/classify", fileBytes: image)
        let toA = try a.client(), toB = try b.client()
        try toA.send(request)
        try toB.send(request)
        #expect(waitUntil { gateA.calls.load(ordering: .relaxed) + gateB.calls.load(ordering: .relaxed) >= 1 })
        try toA.read(until: { $0.contains("event: image-info") })
        try toB.read(until: { $0.contains("event: image-info") })
        gateA.open()
        gateB.open()
        let bodyA = try body(toA), bodyB = try body(toB)
        #expect(gateA.calls.load(ordering: .relaxed) + gateB.calls.load(ordering: .relaxed) == 1)
        #expect(bodyA == bodyB)
        #expect(SSE.parse(bodyA).last?.data.contains(#""status":"complete""#) == true)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
    func killingTheGatewayMidRunEndsItAsInterruptedAndTheNextUploadRunsAgain() throws {
        let redis = try RedisServer()
        let directory = NSTemporaryDirectory() + "lens-gpt-killed-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let leaseMillis = 1_500
        // A: a real `lens-gpt serve` whose runs last a minute (a tick a second).
        // no chromedriver: image-info and the ticks only
        let a = try ServeProcess(directory: directory, arguments: [
            "--store", redis.url, "--lease-ms", String(leaseMillis), "--synthetic-stage-ms", "60000"])
        defer { a.kill() }
        let aPort = a.port

        let b = try gateway(redis, leaseMillis: leaseMillis)
        defer { b.stop() }
        let image = TestImages.png(width: 13, height: 3)
        let sha = TestImages.sha256Hex(image)
        let upload = try TestClient(port: aPort)
        try upload.send(Multipart.request(path: "/classify", fileBytes: image, accept: "application/json"))
        #expect(try upload.readResponse().status == 202)
        let followers = [try subscribe(b, sha), try subscribe(b, sha)]
        for follower in followers { try follower.read(until: { $0.contains("event: tick") }) }

        a.kill()
        let killedAt = TestClient.now()
        for follower in followers {
            let events = SSE.parse(try body(follower))
            #expect(events.suffix(2).map(\.event) == ["stage-error", "done"])
            #expect(events.suffix(2).first?.data.contains(#""code":"interrupted""#) == true)
            #expect(events.last?.data.contains(#""status":"failed""#) == true)
            // Ids stay 1, 2, 3… through the interruption.
            #expect(events.map(\.id) == (1...events.count).map { Optional(String($0)) })
        }
        let waited = TestClient.now() - killedAt
        #expect(waited < Double(leaseMillis) / 1000 * 3 + 2, "interrupted after \(waited) s")
        // The next upload, on B, runs again (B's tree has no synthetic stage: it completes).
        let rerun = try b.classify(image)
        let events = SSE.parse(rerun.bodyText)
        #expect(events.first?.id == "1")
        #expect(events.last?.data.contains(#""status":"complete""#) == true)
    }

    @Test func redisRestartedMidStreamEndsStreamsCleanlyAndClientsResume() throws {
        let redis = try RedisServer()
        let gate = GateProducer()
        // A long lease: the restart must not look like a dead gateway.
        let a = try gateway(redis, graph: TestGraphs.imageInfo(then: gate), leaseMillis: 15_000)
        let b = try gateway(redis, graph: TestGraphs.imageInfo(then: GateProducer()), leaseMillis: 15_000)
        defer { a.stop(); b.stop() }
        let image = TestImages.png(width: 4, height: 14)
        let sha = TestImages.sha256Hex(image)
        let upload = try a.client()
        try upload.send(Multipart.request(path: "/classify", fileBytes: image, accept: "application/json"))
        #expect(try upload.readResponse().status == 202)
        let follower = try subscribe(b, sha)
        try follower.read(until: { $0.contains("event: image-info") && $0.contains("id: 3\n") })

        redis.stop()
        // The open stream ends with an error frame without an id, so EventSource reconnects.
        let frames = SSE.parse(try follower.readResponse(timeout: 10).bodyText)
        #expect(frames.last?.event == "stream-error")
        #expect(frames.last?.id == nil)
        let lastID = try #require(frames.compactMap { $0.id.flatMap { Int($0) } }.max())
        // Nothing crashed; readiness names Redis; uploads and reconnects are answered.
        #expect(try a.get("/healthz").status == 200)
        #expect(try b.get("/healthz").status == 200)
        let ready = try b.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.bodyText.contains(#""redis":{"state":"failed""#))
        let whileDown = try b.get("/results/\(sha)/events", headers: "Last-Event-ID: \(lastID)\r\n")
        #expect(whileDown.status == 200)
        #expect(SSE.parse(whileDown.bodyText).map(\.event) == ["stream-error"])

        try redis.start()
        gate.open()
        let resumed = try subscribe(b, sha, lastEventID: lastID)
        let tail = try body(resumed)
        #expect(SSE.parse(tail).last?.event == "done")
        #expect(SSE.parse(tail).first?.id == String(lastID + 1))
        // The same frames as a full replay from A has after that id.
        let full = try a.get("/results/\(sha)/events").bodyText
        let cut = try #require(full.range(of: "id: \(lastID + 1)\n"))
        #expect(tail == "retry: 3000\n\n" + full[cut.lowerBound...])
        #expect(SSE.parse(full).last?.data.contains(#""status":"complete""#) == true)
    }

    @Test func redisDownAtStartGives503ForReadinessAndUploads() throws {
        let port = try RedisServer.freePort()  // nothing listens there
        let server = try TestServer {
            $0.storeURL = "redis://127.0.0.1:\(port)"
            $0.storeTimeoutMillis = 500
        }
        defer { server.stop() }
        #expect(try server.get("/healthz").status == 200)
        let ready = try server.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.bodyText.contains(#""redis":{"state":"failed","message":"redis://127.0.0.1:\#(port)"#))
        let upload = try server.classify(TestImages.png(width: 2, height: 2))
        #expect(upload.status == 503)
        #expect(upload.header("Retry-After") == "5")
        #expect(upload.bodyText.contains("store_unavailable"))
        let id = String(repeating: "ab", count: 32)
        let snapshot = try server.get("/results/\(id)")
        #expect(snapshot.status == 503)
        #expect(snapshot.header("Retry-After") != nil)
        #expect(try server.get("/metrics").status == 200)
    }

    @Test func redisURLsAreParsedAndBadOnesRefused() throws {
        #expect(try RedisAddress.parse("redis://127.0.0.1:6380") == RedisAddress(host: "127.0.0.1", port: 6380))
        #expect(try RedisAddress.parse("redis://cache") == RedisAddress(host: "cache", port: 6379))
        let full = try RedisAddress.parse("redis://app:p%40ss@redis.internal:6379/2")
        #expect(full == RedisAddress(host: "redis.internal", port: 6379, user: "app", password: "p@ss", database: 2))
        #expect(full.description == "redis://redis.internal:6379/2")  // no password in logs or /readyz
        #expect(try RedisAddress.parse("redis://:secret@[::1]:7000").password == "secret")
        #expect(try RedisAddress.parse("redis://:secret@[::1]:7000").host == "::1")
        for bad in ["http://x:1", "redis://", "redis://h:0", "redis://h:99999", "redis://h:1/x"] {
            #expect(throws: RedisError.self) { try RedisAddress.parse(bad) }
        }
    }

    @Test func theUploadRateLimitIsSharedAcrossGateways() throws {
        let redis = try RedisServer()
        let limited: (inout GatewaySettings) -> Void = {
            $0.storeURL = redis.url
            $0.uploadsPerMinute = 1
            $0.uploadBurst = 2
        }
        let a = try TestServer(limited), b = try TestServer(limited)
        defer { a.stop(); b.stop() }
        // Each gateway alone would take two; together they take two.
        #expect(try a.classify(TestImages.png(width: 2, height: 3)).status == 200)
        #expect(try b.classify(TestImages.png(width: 3, height: 2)).status == 200)
        let third = try a.classify(TestImages.png(width: 3, height: 3))
        #expect(third.status == 429)
        #expect(third.bodyText.contains("rate_limited"))
        #expect(Int(third.header("Retry-After") ?? "") ?? 0 >= 1)
    }

    @Test func resultsExpireAfterTheRetention() throws {
        let redis = try RedisServer()
        let server = try TestServer {
            $0.storeURL = redis.url
            $0.resultRetentionSeconds = 86_400
        }
        defer { server.stop() }
        let image = TestImages.png(width: 5, height: 1)
        #expect(try server.classify(image).status == 200)
        let sha = TestImages.sha256Hex(image)
        for key in ["lens-gpt:result:\(sha)", "lens-gpt:events:\(sha):1"] {
            let client = try TestClient(port: redis.port)
            try client.send("TTL \(key)\r\n")
            let reply = String(decoding: try client.read(until: { $0.contains("\r\n") }), as: UTF8.self)
            let ttl = Int(reply.dropFirst().prefix { $0.isNumber }) ?? -1
            #expect(ttl > 86_000 && ttl <= 86_400, "\(key): \(reply)")
        }
    }
}
