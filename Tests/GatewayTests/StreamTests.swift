import Foundation
import TestSupport
import Testing
@testable import Gateway
import Pipeline

@Suite(.serialized) struct StreamTests {
    let image = TestImages.png(width: 64, height: 48)

    @Test(arguments: Transport.allCases) func uploadStreamsImageInfoThenDoneByteForByte(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let response = try server.classify(image)
        let sha = TestImages.sha256Hex(image)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/event-stream")
        #expect(response.header("Cache-Control") == "no-cache")
        #expect(response.header("X-Accel-Buffering") == "no")
        #expect(response.header("X-Result-Id") == sha)
        #expect(response.header("Location") == "/results/\(sha)")
        let text = response.bodyText
        #expect(text.hasPrefix("retry: 3000\n\n"))
        let expectedInfo = "id: 2\nevent: image-info\ndata: {\"data\":{\"sha256\":\"\(sha)\",\"format\":\"png\",\"width\":64,\"height\":48,\"bytes\":\(image.count),\"country\":\"US\",\"language\":\"en\"},\"data_type\":\"dict[str, Any]\",\"data_description\":\"image-info\"}\n\n"
        #expect(text.contains(expectedInfo))
        let events = SSE.parse(text)
        #expect(events.map(\.event) == ["progress", "image-info", "progress", "done"])
        #expect(events.map(\.id) == ["1", "2", "3", "4"])
        #expect(text.hasSuffix("\n\n"))
        let done = try #require(events.last)
        #expect(done.data.contains(#""status":"complete""#))
        #expect(done.data.hasSuffix(#","data_type":"dict[str, Any]","data_description":"done"}"#))
        // Every data line is one JSON envelope with exactly the three keys, in order.
        for event in events {
            #expect(event.data.hasPrefix(#"{"data":"#))
            #expect(event.data.contains(#""data_description":"\#(event.event ?? "")"}"#))
        }
    }

    @Test(arguments: [
        ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
                  0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x0C, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
                  0xFF, 0xD9] as [UInt8]),
        ("webp", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8X".utf8) + [0x0A, 0, 0, 0, 0, 0, 0, 0, 0x0F, 0, 0, 0x0B, 0, 0]),
    ])
    func jpegAndWebPAreRecognisedByTheirBytes(_ format: String, _ bytes: [UInt8]) throws {
        let server = try TestServer()
        defer { server.stop() }
        // Declared as PNG on purpose: the bytes decide.
        let response = try server.classify(bytes)
        #expect(response.status == 200)
        #expect(response.bodyText.contains(#""format":"\#(format)","width":16,"height":12,"bytes":\#(bytes.count)"#))
    }

    @Test(arguments: Transport.allCases) func replayAfterLastEventIDRepeatsTheSameFrames(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let first = try server.classify(image)
        let sha = TestImages.sha256Hex(image)
        let original = first.bodyText
        guard let thirdFrame = original.range(of: "id: 3\n") else {
            Issue.record("no frame 3 in \(original)")
            return
        }
        let tail = String(original[thirdFrame.lowerBound...])

        let byHeader = try server.get("/results/\(sha)/events", headers: "Last-Event-ID: 2\r\n")
        #expect(byHeader.status == 200)
        #expect(byHeader.bodyText == "retry: 3000\n\n" + tail)

        let byQuery = try server.get("/results/\(sha)/events?lastEventId=2")
        #expect(byQuery.bodyText == "retry: 3000\n\n" + tail)

        let full = try server.get("/results/\(sha)/events")
        #expect(full.bodyText == original)
    }

    @Test(arguments: Transport.allCases) func reconnectAfterDoneGets204(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        _ = try server.classify(image)
        let sha = TestImages.sha256Hex(image)
        let response = try server.get("/results/\(sha)/events", headers: "Last-Event-ID: 4\r\n")
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
    }

    @Test(arguments: Transport.allCases) func snapshotAndJSONMode(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let accepted = try server.classify(image, accept: "application/json")
        let sha = TestImages.sha256Hex(image)
        #expect(accepted.status == 202)
        #expect(accepted.header("Location") == "/results/\(sha)")
        #expect(accepted.bodyText == "{\"id\":\"\(sha)\",\"events_url\":\"/results/\(sha)/events\",\"result_url\":\"/results/\(sha)\"}\n")
        let events = try server.get("/results/\(sha)/events")
        #expect(SSE.parse(events.bodyText).last?.event == "done")
        let snapshot = try server.get("/results/\(sha)")
        #expect(snapshot.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(snapshot.body)) as? [String: Any])
        #expect(json["id"] as? String == sha)
        #expect(json["status"] as? String == "complete")
        let list = try #require(json["events"] as? [[String: Any]])
        #expect(list.count == 4)
        #expect(list[1]["data_description"] as? String == "image-info")
        // Each event with its SSE id and name beside the envelope; `result`: the latest payload of each result event.
        #expect(Set(list[1].keys) == ["id", "event", "data", "data_type", "data_description"])
        #expect(list.map { $0["id"] as? Int } == [1, 2, 3, 4])
        #expect(list.map { $0["event"] as? String } == ["progress", "image-info", "progress", "done"])
        let result = try #require(json["result"] as? [String: Any])
        #expect(Set(result.keys) == ["image-info"])
        #expect((result["image-info"] as? [String: Any])?["sha256"] as? String == sha)
    }

    @Test(arguments: Transport.allCases) func identicalConcurrentUploadsShareOneRun(_ transport: Transport) throws {
        let gate = GateProducer()
        let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: gate))
        defer { server.stop() }
        let request = Multipart.request(path: "/classify", fileBytes: image)
        let a = try server.client(), b = try server.client()
        try a.send(request)
        #expect(waitUntil { gate.calls.load(ordering: .relaxed) == 1 })
        try b.send(request)
        // b has joined the running stream once it has been replayed the image-info frame.
        try b.read(until: { $0.contains("event: image-info") })
        gate.open()
        let responseA = try a.readResponse(), responseB = try b.readResponse()
        #expect(gate.calls.load(ordering: .relaxed) == 1)
        #expect(SSE.parse(responseA.bodyText).map(\.event) == ["progress", "image-info", "progress", "progress", "gate", "progress", "done"])
        #expect(SSE.parse(responseA.bodyText) == SSE.parse(responseB.bodyText))
    }

    @Test(arguments: Transport.allCases) func aClientLeavingMidStreamDoesNotStopTheRun(_ transport: Transport) throws {
        let gate = GateProducer()
        let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: gate))
        defer { server.stop() }
        let sha = TestImages.sha256Hex(image)
        do {
            let leaving = try server.client()
            try leaving.send(Multipart.request(path: "/classify", fileBytes: image))
            try leaving.read(until: { $0.contains("event: image-info") })
        }  // closed here, mid-stream
        let watcher = try server.client()
        try watcher.send("GET /results/\(sha)/events HTTP/1.1\r\nHost: t\r\n\r\n")
        try watcher.read(until: { $0.contains("event: image-info") })
        gate.open()
        try watcher.read(until: { $0.contains("event: done") })
        #expect(watcher.contains(#""status":"complete""#))
        // Kept: the store (SQLite or Redis) serves it as complete.
        #expect(waitUntil { (try? server.get("/results/\(sha)"))?.bodyText.contains(#""status":"complete""#) == true })
    }

    @Test(arguments: Transport.allCases) func largeUploadsAreHashedAsTheyArriveAndTheConnectionGoesOn(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        // Several times the file's backlog bound: reading pauses and resumes while the bytes
        // are hashed and written off the loop.
        let big = TestImages.png(width: 1400, height: 1000, seed: 9)
        let raw = TestImages.png(width: 1000, height: 900, seed: 5)
        let client = try server.client()
        try client.send(Multipart.request(path: "/classify", fileBytes: big, accept: "application/json"))
        try client.read(until: { HTTPMessage.parseAll($0).count == 1 }, timeout: 30)
        try client.send(Array("POST /classify HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\nContent-Type: image/png\r\nContent-Length: \(raw.count)\r\n\r\n".utf8) + raw)
        try client.read(until: { HTTPMessage.parseAll($0).count == 2 }, timeout: 30)
        // The same connection is read again after both (a paused body does not stay paused).
        try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        try client.read(until: { HTTPMessage.parseAll($0).count == 3 })
        let messages = HTTPMessage.parseAll(client.received)
        #expect(messages.map(\.status) == [202, 202, 200])
        #expect(messages[0].header("X-Result-Id") == TestImages.sha256Hex(big))
        #expect(messages[1].header("X-Result-Id") == TestImages.sha256Hex(raw))
        for image in [big, raw] {
            let sha = TestImages.sha256Hex(image)
            #expect(waitUntil { (try? server.get("/results/\(sha)"))?.bodyText.contains("\"bytes\":\(image.count)") == true })
        }
    }

    @Test(arguments: Transport.allCases) func anImageSentInPiecesOfEverySizeIsStoredByteExact(_ transport: Transport) throws {
        let gate = GateProducer()
        let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: gate))
        defer { server.stop(); gate.open() }
        // Large sends fill whole reads (kept in place), small ones leave part-filled reads (copied),
        // and the delimiter's bytes are split between sends.
        let image = TestImages.png(width: 1200, height: 900, seed: 6) + Array("\r\n--\(Multipart.boundary.dropLast())\r\n".utf8)
        let request = Multipart.request(path: "/classify", fileBytes: image, accept: "application/json")
        let client = try server.client()
        var start = 0
        var turn = 0
        let sizes = [1, 700_000, 3, 64 * 1024 + 1, 17, 1_000_000, 2, 262_144, 5]
        while start < request.count {
            let end = min(start + sizes[turn % sizes.count], request.count)
            try client.send(Array(request[start..<end]))
            start = end
            turn += 1
        }
        let response = try client.readResponse(timeout: 30)
        #expect(response.status == 202)
        #expect(response.header("X-Result-Id") == TestImages.sha256Hex(image))
        // The run waits at the gate: its file is still there, holding exactly the image.
        let uploads = server.directory + "/data/tmp"
        let files = Self.uploadFiles(in: uploads)
        #expect(files.count == 1)
        let stored = files.first.flatMap { FileManager.default.contents(atPath: uploads + "/" + $0.name) }.map { Array($0) }
        #expect(stored?.count == image.count)
        #expect(stored.map { $0 == image } == true, "the stored file differs from the image")
    }

    @Test(arguments: Transport.allCases) func aClientThatLeavesMidUploadLeavesNoFileAndNoDescriptor(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        let uploads = server.directory + "/data/tmp"
        let image = TestImages.png(width: 1400, height: 1000, seed: 4)
        let request = Multipart.request(path: "/classify", fileBytes: image, accept: "application/json")
        do {
            let client = try server.client()
            try client.send(Array(request.prefix(request.count / 2)))
            // The upload is streaming: its file exists and holds bytes.
            #expect(waitUntil { Self.uploadFiles(in: uploads).contains { $0.size > 0 } })
            #expect(waitUntil { Self.openDescriptors(under: uploads) == 1 }, "the file is open while it streams")
        }  // the client closes here, half way through its body
        #expect(waitUntil { Self.uploadFiles(in: uploads).isEmpty }, "the partial file is removed")
        #expect(waitUntil { Self.openDescriptors(under: uploads) == 0 }, "and its descriptor closed")
        #expect(try server.get("/healthz").status == 200)
    }

    /// The upload files in `directory` and their sizes.
    static func uploadFiles(in directory: String) -> [(name: String, size: Int)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("upload-") }.map { name in
            var info = stat()
            return (name, stat(directory + "/" + name, &info) == 0 ? Int(info.st_size) : 0)
        }
    }

    /// This process's descriptors open on files under `directory` (the gateway runs in the test process).
    static func openDescriptors(under directory: String) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd))?.hasPrefix(directory + "/") == true
        }.count
    }

    @Test(arguments: Transport.allCases) func manySubscribersGetEveryEventOnceAndSilentStreamsAKeepAlive(_ transport: Transport) throws {
        let gate = GateProducer()
        let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: gate)) { $0.heartbeatMillis = 300 }
        defer { server.stop(); gate.open() }
        let sha = TestImages.sha256Hex(image)
        let uploader = try server.client()
        try uploader.send(Multipart.request(path: "/classify", fileBytes: image))
        try uploader.read(until: { $0.contains("event: image-info") })
        // Subscribers on both loops, joining at different points of the log.
        var watchers: [TestClient] = []
        for i in 0..<40 {
            let watcher = try server.client()
            let resume = i % 2 == 0 ? "" : "Last-Event-ID: 1\r\n"
            try watcher.send("GET /results/\(sha)/events HTTP/1.1\r\nHost: t\r\n\(resume)\r\n")
            watchers.append(watcher)
        }
        // Nothing happens while the gate is shut: every stream gets a keep-alive comment.
        for watcher in watchers + [uploader] { try watcher.read(until: { $0.contains(": keep-alive\n\n") }, timeout: 5) }
        gate.open()
        for watcher in watchers + [uploader] {
            try watcher.read(until: { HTTPMessage.parseAll($0).count == 1 })  // the stream ends after done
            let events = SSE.parse(HTTPMessage.parseAll(watcher.received)[0].bodyText)
            let ids = events.compactMap { $0.id.flatMap { Int($0) } }
            let first = watcher === uploader || watchers.firstIndex { $0 === watcher }.map { $0 % 2 == 0 } == true ? 1 : 2
            #expect(ids == Array(first..<(first + ids.count)), "each event once, in order, from the right one: \(ids)")
            #expect(events.last?.event == "done")
        }
    }

    @Test(arguments: Transport.allCases) func resultsSurviveARestartAndFailedRunsRunAgain(_ transport: Transport) throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-restart-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sha = TestImages.sha256Hex(image)
        let redis = transport == .redis ? try RedisServer() : nil  // outlives the first server, as a real one would
        do {
            let failing = GateProducer(failFirst: true)
            let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: failing), redis: redis) { $0.dataDirectory = directory }
            failing.open(times: 2)
            let first = try server.classify(image)
            #expect(first.bodyText.contains(#""status":"partial""#))
            #expect(first.bodyText.contains(#""code":"test_failure""#))
            let second = try server.classify(image)  // a failed result runs again
            #expect(second.bodyText.contains(#""status":"complete""#))
            #expect(failing.calls.load(ordering: .relaxed) == 2)
            server.stop()
        }
        let counting = CountingProducer()
        let restarted = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: counting), redis: redis) { $0.dataDirectory = directory }
        defer { restarted.stop() }
        let snapshot = try restarted.get("/results/\(sha)")
        #expect(snapshot.status == 200)
        #expect(snapshot.bodyText.contains(#""status":"complete""#))
        let again = try restarted.classify(image)
        #expect(again.bodyText.contains("event: done"))
        #expect(counting.calls.load(ordering: .relaxed) == 0)  // served from the store
    }
}
