import Foundation
import Glibc
import TestSupport
import Testing
@testable import Gateway
import Pipeline

/// What a real `redis-server` does besides answering: stalls (failover's `CLIENT PAUSE`) with a
/// password, fills up, loses a stream. Every gateway keeps serving and no subscriber is left
/// waiting for events that never come.
@Suite(.serialized, .enabled(if: RedisServer.available)) struct RedisEdgeTests {
    func gateway(_ redis: RedisServer, graph: PipelineGraph, leaseMillis: Int = 1_500) throws -> TestServer {
        try TestServer(graph: graph) {
            $0.storeURL = redis.url
            $0.leaseMillis = leaseMillis
            $0.storeTimeoutMillis = 500
        }
    }

    func subscribe(_ server: TestServer, _ id: String, lastEventID: Int? = nil) throws -> TestClient {
        let client = try server.client()
        let header = lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? ""
        try client.send("GET /results/\(id)/events HTTP/1.1\r\nHost: t\r\n\(header)\r\n")
        return client
    }

    /// Starts a run on `owner` (202) and returns once `followers` have its first events.
    func startRun(_ image: [UInt8], on owner: TestServer, followedOn followers: [TestServer]) throws -> [TestClient] {
        let upload = try owner.client()
        try upload.send(Multipart.request(path: "/classify", fileBytes: image, accept: "application/json"))
        #expect(try upload.readResponse().status == 202)
        let sha = TestImages.sha256Hex(image)
        let clients = try followers.map { try subscribe($0, sha) }
        for client in clients { try client.read(until: { $0.contains("event: image-info") }) }
        return clients
    }

    @Test func aStallLongerThanTheTimeoutsWithAPasswordEndsStreamsAndNeverCrashes() throws {
        let redis = try RedisServer(password: "stall-pass")
        let gate = GateProducer()
        // A long lease: the stall must read as an unreachable Redis, not as a dead gateway.
        let a = try gateway(redis, graph: TestGraphs.imageInfo(then: gate), leaseMillis: 30_000)
        let b = try gateway(redis, graph: TestGraphs.imageInfo(then: CountingProducer()), leaseMillis: 30_000)
        defer { a.stop(); b.stop() }
        let image = TestImages.png(width: 6, height: 17)
        let sha = TestImages.sha256Hex(image)
        let followers = try startRun(image, on: a, followedOn: [a, b])
        #expect(try a.get("/readyz").status == 200)

        // What a failover does: every client's commands wait, here for ten store timeouts and
        // more than a blocked read's wait plus its timeout, so each gateway's connections time
        // out and reconnect, and their AUTH times out as well.
        let pausedAt = TestClient.now()
        try redis.command("CLIENT PAUSE 5000 ALL")
        // (a) Fresh connections authenticate during the stall: readiness says Redis failed.
        for server in [a, b] {
            let ready = try server.get("/readyz", headers: "Connection: close\r\n")
            #expect(ready.status == 503)
            #expect(ready.bodyText.contains(#""redis":{"state":"failed""#))
            #expect(!ready.bodyText.contains("stall-pass"))
        }
        // (b) Followed runs end with a stream-error (no id) on every gateway: clients reconnect.
        for follower in followers {
            let frames = SSE.parse(try follower.readResponse(timeout: 15).bodyText)
            #expect(frames.last?.event == "stream-error")
            #expect(frames.last?.id == nil)
        }
        #expect(TestClient.now() - pausedAt < 5, "the pause was meant to outlast these checks")
        // After the stall: both gateways use Redis again, and the run is followed to its end.
        for server in [a, b] {
            #expect(waitUntil(timeout: 15) { (try? server.get("/readyz").status) == 200 })
        }
        gate.open()
        for server in [a, b] {
            let events = SSE.parse(try subscribe(server, sha, lastEventID: 2).readResponse(timeout: 15).bodyText)
            #expect(events.last?.event == "done")
            #expect(events.last?.data.contains(#""status":"complete""#) == true)
        }
        #expect(try b.classify(TestImages.png(width: 17, height: 6)).status == 200)
    }

    @Test func aNewGatewayStartedDuringAStallWithAPasswordWaitsItOut() throws {
        let redis = try RedisServer(password: "stall-pass")
        try redis.command("CLIENT PAUSE 4000 ALL")
        let pausedAt = TestClient.now()
        let c = try gateway(redis, graph: TestGraphs.imageInfo(then: CountingProducer()))
        defer { c.stop() }
        // Its first connection authenticates into the stall (and times out).
        #expect(try c.get("/readyz").status == 503)
        #expect(TestClient.now() - pausedAt < 4, "the pause was meant to outlast the first check")
        #expect(waitUntil(timeout: 15) { (try? c.get("/readyz").status) == 200 })
        #expect(try c.classify(TestImages.png(width: 3, height: 7)).status == 200)
    }

    @Test func aFullRedisIsNotReadyAndEndsTheRunsItCannotRecord() throws {
        let redis = try RedisServer(arguments: ["--maxmemory-policy", "noeviction"])
        let gate = GateProducer()
        let a = try gateway(redis, graph: TestGraphs.imageInfo(then: gate))
        let b = try gateway(redis, graph: TestGraphs.imageInfo(then: CountingProducer()))
        defer { a.stop(); b.stop() }
        let image = TestImages.png(width: 8, height: 15)
        let followers = try startRun(image, on: a, followedOn: [a, b])
        #expect(try b.get("/readyz").status == 200)

        // Full: every write that adds data is refused (`noeviction`), reads still answer.
        #expect(try redis.command("CONFIG SET maxmemory 1").contains("+OK"))
        let ready = try b.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.bodyText.contains(#""reason":"store_refuses_writes""#))
        #expect(ready.bodyText.contains("OOM"))
        let upload = try b.classify(TestImages.png(width: 15, height: 8))
        #expect(upload.status == 503)
        #expect(upload.bodyText.contains("store_unavailable"))

        // The run's next event cannot be written: its subscribers, here and there, hear its end.
        let openedAt = TestClient.now()
        gate.open()
        for follower in followers {
            let events = SSE.parse(try follower.readResponse(timeout: 15).bodyText)
            #expect(events.suffix(2).map(\.event) == ["stage-error", "done"])
            #expect(events.suffix(2).first?.data.contains(#""code":"interrupted""#) == true)
            #expect(events.last?.data.contains(#""interrupted":true"#) == true)
            #expect(events.map(\.id) == (1...events.count).map { Optional(String($0)) })
        }
        #expect(TestClient.now() - openedAt < 5)

        #expect(try redis.command("CONFIG SET maxmemory 0").contains("+OK"))
        #expect(waitUntil { (try? b.get("/readyz").status) == 200 })
        // The run that could not be recorded runs again on the next upload.
        let rerun = SSE.parse(try b.classify(image).bodyText)
        #expect(rerun.first?.id == "1")
        #expect(rerun.last?.data.contains(#""status":"complete""#) == true)
    }

    @Test func aStreamThatDisappearsEndsItsSubscribersAndItsSnapshot() throws {
        let redis = try RedisServer()
        let gate = GateProducer()
        let a = try gateway(redis, graph: TestGraphs.imageInfo(then: gate), leaseMillis: 30_000)
        let b = try gateway(redis, graph: TestGraphs.imageInfo(then: CountingProducer()), leaseMillis: 30_000)
        defer { a.stop(); b.stop() }
        let image = TestImages.png(width: 12, height: 5)
        let sha = TestImages.sha256Hex(image)
        let followers = try startRun(image, on: a, followedOn: [a, b])

        #expect(try redis.command("DEL lens-gpt:events:\(sha):1").contains(":1"))
        let deletedAt = TestClient.now()
        for follower in followers {
            let events = SSE.parse(try follower.readResponse(timeout: 30).bodyText)
            #expect(events.suffix(2).map(\.event) == ["stage-error", "done"])
            #expect(events.suffix(2).first?.data.contains(#""code":"interrupted""#) == true)
            #expect(events.last?.data.contains(#""status":"failed""#) == true)
        }
        // Within the check's period (half a lease, at most a second), not the lease.
        #expect(TestClient.now() - deletedAt < 5)
        for server in [a, b] {
            let snapshot = try server.get("/results/\(sha)").bodyText
            #expect(!snapshot.contains(#""status":"running""#), "\(snapshot)")
        }
        gate.open()
        // The next upload runs the image again.
        let rerun = SSE.parse(try b.classify(image).bodyText)
        #expect(rerun.last?.data.contains(#""status":"complete""#) == true)
    }

    /// Two gateways on one Redis, each with the photo shelf a hosted visual-search API fetches from.
    func photoGateways(_ redis: RedisServer, secret: String? = nil) throws -> [(server: TestServer, shelf: PhotoShelf)] {
        try ["a", "b"].map { name in
            let shelf = PhotoShelf(publicBaseURL: "http://\(name).test", lifetimeSeconds: 60, secret: secret)
            return (try TestServer(graph: TestGraphs.imageInfo(then: CountingProducer()), photos: shelf) { $0.storeURL = redis.url }, shelf)
        }
    }

    func photoFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "lens-gpt-photo-" + UUID().uuidString + ".png"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aPhotoURLSignedByOneGatewayIsServedByEveryGateway() throws {
        let redis = try RedisServer()
        let gateways = try photoGateways(redis)
        defer { for g in gateways { g.server.stop() } }
        let (a, b) = (gateways[0], gateways[1])
        let photo = TestImages.png(width: 23, height: 9)  // binary: bytes that are not UTF-8
        let id = TestImages.sha256Hex(photo)
        let path = try photoFile(photo)
        defer { unlink(path) }

        let url = a.shelf.publish(id: id, path: path, format: "png")
        let target = String(url.dropFirst(a.shelf.publicBaseURL.count))
        #expect(target.hasPrefix("/photos/\(id).png?expires="))
        for g in gateways {
            let response = try g.server.get(target)
            #expect(response.status == 200)
            #expect(response.body == photo)
            #expect(response.header("Content-Type") == "image/png")
        }
        // B has never published: it reads the key every gateway signs with from Redis.
        let secret = try redis.command("GET lens-gpt:photo-url-secret")
        #expect(secret.hasPrefix("$") && !secret.hasPrefix("$-1"))

        // Tampered, re-dated or expired links are refused by both.
        let expires = try #require(GatewayRouter.queryValue(Substring(target.split(separator: "?")[1]), "expires").flatMap { Int64($0) })
        let signature = try #require(GatewayRouter.queryValue(Substring(target.split(separator: "?")[1]), "sig"))
        let flipped = String(signature.dropLast()) + (signature.hasSuffix("0") ? "1" : "0")
        let key = String(secret.split(separator: "\r\n")[1])
        let past = Int64(time(nil)) - 1
        let expired = ResultToken(secret: key).signature(id: "photo:" + id, expiresAt: past)
        for bad in ["/photos/\(id).png?expires=\(expires)&sig=\(flipped)",
                    "/photos/\(id).png?expires=\(expires + 1)&sig=\(signature)",
                    "/photos/\(id).png?expires=\(past)&sig=\(expired)",
                    "/photos/\(id).png"] {
            for g in gateways { #expect(try g.server.get(bad).status == 403, "\(bad)") }
        }
        // The search is over: the photo is gone from every gateway before the link expires.
        a.shelf.withdraw(id: id)
        for g in gateways { #expect(try g.server.get(target).status == 404) }
        #expect(try redis.command("EXISTS lens-gpt:photo:\(id)").contains(":0"))
        _ = b
    }

    @Test func anOperatorsPhotoSecretIsUsedAndNeverStored() throws {
        let redis = try RedisServer()
        let gateways = try photoGateways(redis, secret: "operator-photo-secret-0123")
        defer { for g in gateways { g.server.stop() } }
        let photo = TestImages.png(width: 7, height: 19)
        let id = TestImages.sha256Hex(photo)
        let path = try photoFile(photo)
        defer { unlink(path) }
        let url = gateways[1].shelf.publish(id: id, path: path, format: "png")
        let target = String(url.dropFirst(gateways[1].shelf.publicBaseURL.count))
        let sig = try #require(GatewayRouter.queryValue(Substring(target.split(separator: "?")[1]), "sig"))
        let expires = try #require(GatewayRouter.queryValue(Substring(target.split(separator: "?")[1]), "expires").flatMap { Int64($0) })
        #expect(sig == ResultToken(secret: "operator-photo-secret-0123").signature(id: "photo:" + id, expiresAt: expires))
        for g in gateways { #expect(try g.server.get(target).body == photo) }
        #expect(try redis.command("EXISTS lens-gpt:photo-url-secret").contains(":0"))
    }
}
