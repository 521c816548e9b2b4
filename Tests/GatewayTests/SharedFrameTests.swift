import Dispatch
import Glibc
import JSON
import Pipeline
import Producers
import TestSupport
import Testing
@testable import Gateway

/// A stage that, once the test opens its gate, emits `count` events each carrying `size`
/// bytes of text that differs from event to event and along each event.
final class LargeEventsProducer: Producer {
    let stage = "large"
    let count: Int
    let size: Int
    private let gate = DispatchSemaphore(value: 0)

    init(count: Int, size: Int) {
        self.count = count
        self.size = size
    }

    func open() { gate.signal() }

    static func text(event: Int, size: Int) -> String {
        var text = ""
        text.reserveCapacity(size + 16)
        var block = 0
        while text.utf8.count < size {
            text += "e\(event)b\(block) "
            block += 1
        }
        return String(text.prefix(size))
    }

    func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        guard gate.wait(timeout: .now() + 20) == .success else {
            throw StageError(code: "gate_timeout", message: "test gate never opened")
        }
        for event in 1...count { context.emit(stage, ["n": .int(event), "text": .string(Self.text(event: event, size: size))]) }
        return count
    }
}

/// Chunked transfer coding read strictly (RFC 9112 §7.1): every chunk is `hex-size CRLF bytes
/// CRLF` and the body ends with `0 CRLF CRLF`; nil on any deviation.
private func strictChunks(_ body: ArraySlice<UInt8>) -> [[UInt8]]? {
    var chunks: [[UInt8]] = []
    var cursor = body.startIndex
    while true {
        guard let lineEnd = body[cursor...].firstRange(of: [13, 10] as [UInt8]) else { return nil }
        let sizeText = String(decoding: body[cursor..<lineEnd.lowerBound], as: UTF8.self)
        guard !sizeText.isEmpty, sizeText.allSatisfy(\.isHexDigit), let size = Int(sizeText, radix: 16) else { return nil }
        cursor = lineEnd.upperBound
        if size == 0 { return body[cursor...].elementsEqual([13, 10]) ? chunks : nil }
        guard body.endIndex - cursor >= size + 2, body[(cursor + size)...].starts(with: [13, 10]) else { return nil }
        chunks.append(Array(body[cursor..<cursor + size]))
        cursor += size + 2
    }
}

@Suite(.serialized) struct SharedFrameTests {
    let image = TestImages.png(width: 64, height: 48)

    /// One encoding of each event is queued by reference on every subscriber's connection. Fast
    /// and slow subscribers, chunked and HTTP/1.0, must all get the same bytes, byte for byte:
    /// the slow one reads nothing until the others are done, so the kernel takes only part of a
    /// frame and the rest waits in its queue, pointing at the shared frames, after the loop has
    /// dropped its own reference (the group goes when its last subscriber has been handed `done`).
    @Test(arguments: Transport.allCases) func framesReachFastAndSlowSubscribersIntact(_ transport: Transport) throws {
        // Frames far larger than the slow client's 4 KiB receive buffer: what the kernel does not
        // take waits in the server's queue. (Larger frames would make sure of it whatever the
        // kernel's send buffer, but cost minutes in a debug build.)
        let producer = LargeEventsProducer(count: 3, size: 256 << 10)
        let server = try TestServer(transport: transport, graph: TestGraphs.imageInfo(then: producer)) {
            $0.heartbeatMillis = 600_000  // no keep-alive comments: every stream's bytes are the same
            // Every frame is handed to every subscriber in the pump that reads it, so the last
            // one (`done`) ends each subscription and drops the loop's frames while the slow
            // client's queue still points to all of them.
            $0.http.writeHighWaterBytes = 64 << 20
            $0.maxSubscriberBacklogBytes = 128 << 20
        }
        defer { server.stop(); producer.open() }
        let sha = TestImages.sha256Hex(image)
        let uploader = try server.client()
        try uploader.send(Multipart.request(path: "/classify", fileBytes: image))
        try uploader.read(until: { $0.contains("event: image-info") })

        let slow = try server.client()
        var small: Int32 = 4096
        setsockopt(slow.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        try slow.send("GET /results/\(sha)/events HTTP/1.1\r\nHost: t\r\n\r\n")
        var fast: [TestClient] = []
        for _ in 0..<6 {
            let client = try server.client()
            try client.send("GET /results/\(sha)/events HTTP/1.1\r\nHost: t\r\n\r\n")
            fast.append(client)
        }
        let plain = try server.client()
        try plain.send("GET /results/\(sha)/events HTTP/1.0\r\nHost: t\r\n\r\n")
        // Every stream is open (its head has arrived) before the events come.
        for client in fast + [plain, slow] { try client.read(until: { $0.contains("retry: ") }) }
        producer.open()

        let end: [UInt8] = Array("\r\n0\r\n\r\n".utf8)
        for client in fast { try client.read(until: { $0.count > end.count && $0.suffix(end.count).elementsEqual(end) }, timeout: 60) }
        let plainBytes = try plain.readToEnd(timeout: 60)
        try slow.read(until: { $0.count > end.count && $0.suffix(end.count).elementsEqual(end) }, timeout: 60)

        func body(_ bytes: [UInt8]) throws -> ArraySlice<UInt8> {
            let headEnd = try #require(bytes.firstRange(of: Array("\r\n\r\n".utf8)))
            return bytes[headEnd.upperBound...]
        }
        let reference = try body(slow.received)
        let chunks = try #require(strictChunks(reference), "the slow subscriber's body is not well-formed chunked coding")
        // One chunk per frame: retry, then the events after image-info (large × 3, the stage's
        // progress, done), each a complete SSE frame.
        for chunk in chunks { #expect(chunk.suffix(2).elementsEqual([10, 10]), "a chunk holds whole frames") }
        let text = String(decoding: chunks.joined(), as: UTF8.self)
        let events = SSE.parse(text)
        let large = events.filter { $0.event == "large" }
        #expect(large.count == 3)
        for (index, event) in large.enumerated() {
            #expect(event.data.contains("\"text\":\"\(LargeEventsProducer.text(event: index + 1, size: 256 << 10))\""),
                    "event \(index + 1) arrived altered")
        }
        #expect(events.last?.event == "done")
        let ids = events.compactMap { $0.id.flatMap { Int($0) } }
        #expect(ids == Array(1...ids.count))
        for client in fast {
            #expect(try body(client.received).elementsEqual(reference), "a fast subscriber's bytes differ from the slow one's")
        }
        #expect(try body(plainBytes).elementsEqual(chunks.joined()), "the HTTP/1.0 stream is the frames without chunk framing")
    }
}
