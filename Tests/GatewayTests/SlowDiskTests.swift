import Foundation
import Glibc
import Testing
@testable import Gateway
import Pipeline
import Synchronization
import TestSupport

/// No file is read or created on a loop thread: a photo or thumbnail whose read never ends (a FIFO
/// with no data, standing in for a stalled disk), or an upload whose file creation hangs, leaves
/// `/healthz` answering on the same, only loop.
@Suite(.serialized) struct SlowDiskTests {
    @Test func aPhotoReadThatBlocksDoesNotStallHealthz() throws {
        let shelf = PhotoShelf(publicBaseURL: "http://127.0.0.1")
        let server = try TestServer(photos: shelf) { $0.http.loopCount = 1 }
        defer { server.stop() }
        let fifo = try SlowFile(in: server.directory, name: "photo.png")
        defer { fifo.release() }
        let url = shelf.publish(id: "slow-photo", path: fifo.path, format: "png")
        let path = String(url.dropFirst("http://127.0.0.1".count))

        try expectHealthzAnswersWhileReading(path, from: fifo, on: server, bytes: TestImages.png(width: 2, height: 2))
    }

    @Test func aThumbnailReadThatBlocksDoesNotStallHealthz() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-thumbs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id = String(repeating: "ab", count: 32)
        try FileManager.default.createDirectory(atPath: directory + "/" + id, withIntermediateDirectories: true)
        let store = FileThumbnailStore(directory: directory, maxBytes: 1 << 20, retentionSeconds: 3600)
        let server = try TestServer(thumbnails: store) { $0.http.loopCount = 1 }
        defer { server.stop() }
        // The PNG is the FIFO (the other types are missing: the store passes over them at once).
        // Released before the server stops, whatever happens: a reader stuck in it would hold its thread.
        let fifo = try SlowFile(in: directory + "/" + id, name: "0.png")
        defer { fifo.release() }

        try expectHealthzAnswersWhileReading(Thumbnail.path(resultID: id, index: 0), from: fifo, on: server,
                                             bytes: TestImages.png(width: 3, height: 1))
    }

    @Test func anUploadWhoseFileCreationStallsDoesNotStallHealthz() throws {
        let server = try TestServer { $0.http.loopCount = 1 }
        defer { server.stop() }
        // The disk stands still in the call that creates the upload's file until `gate` opens.
        let gate = DispatchSemaphore(value: 0)
        let creating = Atomic<Bool>(false)
        let create = server.gateway.context.createUploadFile
        server.gateway.context.uploadFileCreation.withLock {
            $0 = { () throws(UploadError) -> (fd: Int32, path: String) in
                creating.store(true, ordering: .releasing)
                gate.wait()
                return try create()
            }
        }
        var opened = false
        defer { if !opened { gate.signal() } }  // a thread stuck in creation would outlive the test
        let image = TestImages.png(width: 64, height: 48, seed: 3)
        let uploader = try server.client()
        try uploader.send(Multipart.request(path: "/classify", fileBytes: image, accept: "application/json"))
        #expect(waitUntil { creating.load(ordering: .acquiring) })
        try expectHealthzAnswers(server)
        gate.signal()
        opened = true
        let response = try uploader.readResponse(timeout: 10)
        #expect(response.status == 202)
        #expect(response.header("X-Result-Id") == TestImages.sha256Hex(image))
    }

    /// Asks for `path`, whose file is `fifo`; while the gateway waits in read() on it for bytes
    /// that have not come, /healthz answers; then `bytes` arrive and are served whole.
    private func expectHealthzAnswersWhileReading(_ path: String, from fifo: SlowFile, on server: TestServer, bytes: [UInt8]) throws {
        let reader = try server.client()
        try reader.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(fifo.waitForReader())
        try expectHealthzAnswers(server)
        fifo.release(writing: bytes)
        let response = try reader.readResponse(timeout: 10)
        #expect(response.status == 200)
        #expect(response.body == bytes)
    }

    /// Five probes on a new connection, each answered well within a second.
    private func expectHealthzAnswers(_ server: TestServer) throws {
        let probe = try server.client()
        for _ in 0..<5 {
            let start = TestClient.now()
            try probe.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try probe.readResponse(timeout: 3)
            #expect(response.status == 200)
            #expect(TestClient.now() - start < 1)
        }
    }
}

/// A FIFO standing in for a file on a disk that stalls: a reader's open and read wait until
/// `release` writes the bytes and closes the other end.
final class SlowFile {
    let path: String
    private var writer: Int32 = -1

    init(in directory: String, name: String) throws {
        path = directory + "/" + name
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Whether a reader has the FIFO open (polled: a non-blocking open for writing succeeds only
    /// then). Holding the write end open keeps that reader waiting in read().
    func waitForReader(timeout: Double = 10) -> Bool {
        waitUntil(timeout: timeout) {
            writer = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            return writer >= 0
        }
    }

    /// Lets the reader finish: `bytes`, then end of file.
    func release(writing bytes: [UInt8] = []) {
        if writer < 0 { writer = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC) }
        guard writer >= 0 else { return }
        _ = bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        close(writer)
        writer = -1
    }
}
