import Foundation
import Glibc
import TestSupport
import Testing

/// SIGTERM to the real `lens-gpt serve` binary with a run in progress: the port closes at once,
/// the run gets `--shutdown-grace-ms`, and its open stream ends with `done` either way.
@Suite(.serialized) struct ShutdownTests {
    /// Starts the server with a run-long synthetic stage.
    func start(directory: String, stageMillis: Int, graceMillis: Int) throws -> ServeProcess {
        try ServeProcess(directory: directory, arguments: ["--no-browser", "--synthetic-stage-ms", String(stageMillis),
                                                           "--shutdown-grace-ms", String(graceMillis)])
    }

    /// Uploads a photo and reads its stream until the synthetic stage has ticked once.
    func followRun(port: Int) throws -> TestClient {
        let client = try TestClient(port: port)
        try client.send(Multipart.request(path: "/classify", fileBytes: TestImages.png(width: 32, height: 32, seed: UInt8.random(in: 0...255))))
        _ = try client.read(until: { String(decoding: $0, as: UTF8.self).contains("\"stage\":\"tick\"") }, timeout: 30)
        return client
    }

    func newConnectionRefused(_ port: Int) -> Bool { (try? TestClient(port: port)) == nil }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
    func aRunCutShortByTheGraceEndsItsStreamWithInterruptedAndDone() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-shutdown-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try start(directory: directory, stageMillis: 120_000, graceMillis: 1_500)
        defer { server.kill() }
        let (process, port) = (server.process, server.port)
        let client = try followRun(port: port)

        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        // New connections are refused at once, while the run still has its grace.
        #expect(waitUntil(timeout: 1) { newConnectionRefused(port) }, "the port still accepts after SIGTERM")
        let rest = String(decoding: try client.readToEnd(timeout: 15), as: UTF8.self)
        let elapsed = Date().timeIntervalSince(signalled)
        let events = SSE.parse(rest)
        let error = events.first { $0.event == "stage-error" }
        #expect(error?.data.contains("\"code\":\"interrupted\"") == true, "\(rest.suffix(2000))")
        #expect(events.last?.event == "done", "\(rest.suffix(2000))")
        #expect(events.last?.data.contains("\"interrupted\":true") == true)
        #expect(events.last?.data.contains("\"status\":\"failed\"") == true)
        #expect(elapsed >= 1.4, "ended after \(elapsed) s, before the 1.5 s grace")
        #expect(elapsed < 6, "ended after \(elapsed) s")
        #expect(waitUntil(timeout: 10) { !process.isRunning })
        #expect(process.terminationStatus == 0,
                "server log: \(server.finalLog().suffix(3000))")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
    func aRunThatFinishesWithinTheGraceEndsNormally() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-shutdown-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try start(directory: directory, stageMillis: 2_500, graceMillis: 30_000)
        defer { server.kill() }
        let (process, port) = (server.process, server.port)
        let client = try followRun(port: port)
        kill(process.processIdentifier, SIGTERM)
        #expect(waitUntil(timeout: 1) { newConnectionRefused(port) }, "the port still accepts after SIGTERM")
        let rest = String(decoding: try client.readToEnd(timeout: 20), as: UTF8.self)
        let events = SSE.parse(rest)
        #expect(events.last?.event == "done", "\(rest.suffix(2000))")
        #expect(events.last?.data.contains("interrupted") == false, "\(rest.suffix(2000))")
        #expect(!events.contains { $0.event == "stage-error" && $0.data.contains("interrupted") })
        #expect(waitUntil(timeout: 10) { !process.isRunning })
        #expect(process.terminationStatus == 0)
    }

    /// With Redis: the stopping gateway's run ends for every gateway's subscribers at the end of
    /// the grace, not when its lease expires; a run of another gateway it followed goes on, and
    /// its stream here ends with `stream-error` so the client reconnects elsewhere.
    @Test(.enabled(if: RedisServer.available && FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
    func withRedisTheStoppingGatewaysRunsEndEverywhereAtOnce() throws {
        let redis = try RedisServer()
        let directory = NSTemporaryDirectory() + "lens-gpt-shutdown-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let leaseMillis = 30_000  // an end by lease expiry would come far too late for this test
        let server = try ServeProcess(directory: directory, arguments: [
            "--no-browser", "--store", redis.url, "--lease-ms", String(leaseMillis),
            "--synthetic-stage-ms", "120000", "--shutdown-grace-ms", "500"])
        defer { server.kill() }
        let (process, port) = (server.process, server.port)

        let gate = GateProducer()
        let other = try TestServer(graph: TestGraphs.imageInfo(then: gate)) {
            $0.storeURL = redis.url
            $0.leaseMillis = leaseMillis
        }
        defer { gate.open(); other.stop() }
        func subscribe(_ port: Int, _ id: String) throws -> TestClient {
            let client = try TestClient(port: port)
            try client.send("GET /results/\(id)/events HTTP/1.1\r\nHost: t\r\n\r\n")
            return client
        }
        // A run of the stopping gateway, followed there and on the other one.
        let ours = TestImages.png(width: 17, height: 3)
        let upload = try TestClient(port: port)
        try upload.send(Multipart.request(path: "/classify", fileBytes: ours, accept: "application/json"))
        #expect(try upload.readResponse().status == 202)
        let followers = [try subscribe(port, TestImages.sha256Hex(ours)), try subscribe(other.port, TestImages.sha256Hex(ours))]
        for follower in followers { try follower.read(until: { $0.contains("event: tick") }, timeout: 30) }
        // A run of the other gateway, followed by the stopping one.
        let theirs = TestImages.png(width: 19, height: 3)
        let elsewhere = try other.client()
        try elsewhere.send(Multipart.request(path: "/classify", fileBytes: theirs, accept: "application/json"))
        #expect(try elsewhere.readResponse().status == 202)
        let visitor = try subscribe(port, TestImages.sha256Hex(theirs))
        try visitor.read(until: { $0.contains("event: image-info") })

        kill(process.processIdentifier, SIGTERM)
        let signalled = Date()
        for follower in followers {
            let events = SSE.parse(try follower.readResponse(timeout: 15).bodyText)
            #expect(events.suffix(2).map(\.event) == ["stage-error", "done"], "\(events)")
            #expect(events.suffix(2).first?.data.contains(#""code":"interrupted""#) == true)
            #expect(events.last?.data.contains(#""interrupted":true"#) == true)
        }
        let visited = try visitor.readResponse(timeout: 15).bodyText
        #expect(visited.contains("event: stream-error"), "\(visited)")
        #expect(!visited.contains("event: done"))
        #expect(Date().timeIntervalSince(signalled) < 8, "ended after \(Date().timeIntervalSince(signalled)) s")
        #expect(waitUntil(timeout: 10) { !process.isRunning })
        #expect(process.terminationStatus == 0)
        // The other gateway's run went on: it completes there.
        gate.open()
        #expect(waitUntil(timeout: 10) { (try? other.get("/results/\(TestImages.sha256Hex(theirs))").bodyText.contains(#""status":"complete""#)) == true })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
    func theGraceIsRangeChecked() throws {
        for value in ["-1", "3600001", "soon"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ServeProcess.binary)
            process.arguments = ["serve", "--port", "0", "--no-browser", "--shutdown-grace-ms", value]
            process.environment = ["PATH": "/nonexistent"]
            let log = Pipe()
            process.standardError = log
            process.standardOutput = log
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            #expect(waitUntil(timeout: 20) { !process.isRunning }, "\(value) was accepted")
            let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus != 0, "\(value)")
            #expect(text.contains("LENS_GPT_SHUTDOWN_GRACE_MS"), "\(value): \(text)")
        }
    }
}
