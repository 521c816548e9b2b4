import Dispatch
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing
@testable import Gateway
import HTTP
import Pipeline

/// The off-loop half of an upload: creating, writing and hashing on background queues, with a bounded
/// backlog that tells the reader when to stop and says when to go on.
@Suite struct UploadFileTests {
    private func temporaryFile() throws -> (fd: Int32, path: String) {
        let path = NSTemporaryDirectory() + "upload-file-test-" + UUID().uuidString
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestClient.Failure(description: "open: \(errno)") }
        return (fd, path)
    }

    /// An upload file whose creation hands over an already open descriptor.
    private func openedFile(fd: Int32, path: String, highWater: Int) -> UploadFile {
        UploadFile(highWater: highWater) { () throws(UploadError) in (fd, path) }
    }

    private func finish(_ file: UploadFile) -> Result<String, UploadError>? {
        let outcome = Mutex<Result<String, UploadError>?>(nil)
        file.finish { result in outcome.withLock { $0 = result.map(\.digest) } }
        _ = waitUntil { outcome.withLock { $0 != nil } }
        return outcome.withLock { $0 }
    }

    @Test func aBacklogOverTheBoundPausesTheReaderAndItsDrainResumesIt() throws {
        // The "file" is a socket nobody reads yet: the writes block, so the backlog must grow
        // past the bound and the reader be told to stop.
        // A socket pair, created close-on-exec: a child another test starts meanwhile must not
        // hold the write end open, or the reader below would never see its end. Small buffers,
        // so the writes block soon.
        var ends: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0)
        var small: Int32 = 4096
        setsockopt(ends[1], SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(ends[0], SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let file = openedFile(fd: ends[1], path: NSTemporaryDirectory() + "never-created-" + UUID().uuidString, highWater: 64 * 1024)
        let drains = Atomic<Int>(0)
        file.setOnDrain { drains.add(1, ordering: .relaxed) }
        var all: [UInt8] = []
        func chunk(_ i: Int) -> [UInt8] { (0..<16 * 1024).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
        var i = 0
        var paused = false
        while i < 64 && !paused {
            let next = chunk(i)
            all += next
            paused = !file.append(UploadChunk(next))
            i += 1
        }
        #expect(paused, "the blocked file must have stopped the reader within 1 MiB")
        #expect(drains.load(ordering: .relaxed) == 0, "no drain while the file is blocked")
        // Someone reads the socket: the backlog drains and the reader is resumed, once.
        let received = Mutex<[UInt8]>([])
        let readerDone = Atomic<Bool>(false)
        let readEnd = ends[0]
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                received.withLock { $0 += buffer[0..<n] }
            }
            close(readEnd)
            readerDone.store(true, ordering: .releasing)
        }
        #expect(waitUntil { drains.load(ordering: .relaxed) == 1 })
        var pauses = 1
        for j in i..<(i + 100) {
            let next = chunk(j)
            all += next
            if !file.append(UploadChunk(next)) {
                pauses += 1
                let expected = pauses
                #expect(waitUntil { drains.load(ordering: .relaxed) >= expected })
            }
        }
        let hex = try #require(try finish(file)?.get())
        #expect(hex == TestImages.sha256Hex(all))
        #expect(waitUntil { readerDone.load(ordering: .acquiring) })
        #expect(received.withLock { $0 } == all, "every byte written, in order")
        #expect(drains.load(ordering: .relaxed) == pauses, "one drain for every pause, none without one")
    }

    @Test func aWriteErrorIsReportedAndTheFileRemoved() throws {
        let (writable, path) = try temporaryFile()
        close(writable)
        let readOnly = open(path, O_RDONLY | O_CLOEXEC)  // every write fails (EBADF)
        let file = openedFile(fd: readOnly, path: path, highWater: 1 << 20)
        _ = file.append(UploadChunk(Array(repeating: 7, count: 1000)))
        #expect(waitUntil { file.writeError != nil })
        guard case .failure(let error)? = finish(file), case .storage = error else {
            Issue.record("finish must report the storage error")
            return
        }
        #expect(access(path, F_OK) != 0, "the partial file is removed")
    }

    @Test func aDiscardedUploadLeavesNoFile() throws {
        let (fd, path) = try temporaryFile()
        let file = openedFile(fd: fd, path: path, highWater: 1 << 20)
        _ = file.append(UploadChunk(Array(repeating: 1, count: 300_000)))
        file.discard()
        #expect(waitUntil { access(path, F_OK) != 0 })
    }

    @Test func aStalledFileCreationNeverBlocksTheCallerAndTheBytesLandOnceItEnds() throws {
        let path = NSTemporaryDirectory() + "upload-file-stalled-" + UUID().uuidString
        defer { unlink(path) }
        let gate = DispatchSemaphore(value: 0)
        let creating = Atomic<Bool>(false)
        let file = UploadFile(highWater: 64 * 1024) { () throws(UploadError) -> (fd: Int32, path: String) in
            creating.store(true, ordering: .releasing)
            gate.wait()  // the disk stalls until the test lets it go
            return (open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600), path)
        }
        let drains = Atomic<Int>(0)
        file.setOnDrain { drains.add(1, ordering: .relaxed) }
        #expect(waitUntil { creating.load(ordering: .acquiring) }, "creation runs on the file's queue")
        // The caller goes on while creation hangs: it is told to stop once the backlog is full.
        var all: [UInt8] = []
        var paused = false
        var i = 0
        while !paused && i < 64 {
            let next = (0..<8 * 1024).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }
            all += next
            paused = !file.append(UploadChunk(next))
            i += 1
        }
        #expect(paused, "a stalled creation stops the reader at the backlog bound")
        #expect(access(path, F_OK) != 0)
        gate.signal()
        #expect(waitUntil { drains.load(ordering: .relaxed) == 1 }, "the reader is resumed once the disk answers")
        #expect(try #require(try finish(file)?.get()) == TestImages.sha256Hex(all))
        #expect(FileManager.default.contents(atPath: path).map { Array($0) == all } == true, "the file holds every byte in order")
    }

    @Test func aFailedFileCreationIsTheStorageErrorAndNothingIsLeft() throws {
        let file = UploadFile(highWater: 1 << 20) { () throws(UploadError) -> (fd: Int32, path: String) in
            throw .storage(String(cString: strerror(ENOSPC)))
        }
        _ = file.append(UploadChunk(Array(repeating: 3, count: 5000)))
        #expect(waitUntil { file.writeError != nil })
        #expect(file.writeError == String(cString: strerror(ENOSPC)))
        guard case .failure(.storage(let detail))? = finish(file) else {
            Issue.record("finish must report the creation error")
            return
        }
        #expect(detail == String(cString: strerror(ENOSPC)))
    }

    /// Chunks of every awkward size, written and hashed on two queues: the file holds exactly the
    /// bytes in order and the digest is theirs.
    @Test func chunksOfEverySizeAreStoredAndHashedByteExact() throws {
        let path = NSTemporaryDirectory() + "upload-file-exact-" + UUID().uuidString
        defer { unlink(path) }
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        #expect(fd >= 0)
        let file = openedFile(fd: fd, path: path, highWater: 1 << 30)
        var all: [UInt8] = []
        for (i, size) in [1, 2, 3, 63, 64, 65, 4095, 4096, 4097, 65_537, 262_144, 1, 700_001].enumerated() {
            let next = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ i &* 17) }
            all += next
            _ = file.append(UploadChunk(next))
        }
        #expect(try #require(try finish(file)?.get()) == TestImages.sha256Hex(all))
        #expect(FileManager.default.contents(atPath: path).map { Array($0) == all } == true, "the file holds every byte in order")
    }

    /// The path a multipart upload takes off the socket (parser → sink → file), with the body cut
    /// into pieces of every awkward size: a delimiter or CRLF split across pieces, single bytes.
    @Test func aMultipartImageFedInAwkwardPiecesIsStoredAndHashedByteExact() throws {
        let directory = NSTemporaryDirectory() + "upload-sink-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // An image whose bytes hold CRs, CRLFs and most of a delimiter, as real images may.
        let image = TestImages.png(width: 40, height: 30, seed: 2)
            + Array("\r\r\n\r\n-\r\n--\r\n--\(Multipart.boundary.dropLast())x\r".utf8) + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let body = Multipart.body(fileBytes: image)
        let delimiter = 4 + Multipart.boundary.utf8.count
        for size in [1, 2, 3, 5, 7, delimiter - 1, delimiter, delimiter + 1, 4096, 65_537, body.count] {
            let sink = ImageSink(maxBytes: 1 << 24, maxPixels: 1 << 24, backlogBytes: 1 << 30, create: UploadFile.temporary(in: directory))
            var parser = MultipartParser(boundary: Multipart.boundary)
            var inFile = false
            var start = 0
            while start < body.count {
                let piece = Array(body[start..<min(start + size, body.count)])
                try piece.withUnsafeBytes { raw in
                    try parser.feed(raw) { event in
                        switch event {
                        case .partBegin(let head): inFile = head.name == "file"
                        case .partData(let data): if inFile { _ = try sink.write(data) }
                        case .partEnd: inFile = false
                        }
                    }
                }
                start += size
            }
            try parser.finish()
            let stored = Mutex<Result<UploadedImage, UploadError>?>(nil)
            try sink.finish { result in stored.withLock { $0 = result } }
            #expect(waitUntil { stored.withLock { $0 != nil } })
            let image0 = try #require(try stored.withLock { $0 }?.get(), "pieces of \(size)")
            #expect(image0.id == TestImages.sha256Hex(image), "pieces of \(size)")
            #expect(image0.bytes == image.count)
            #expect(FileManager.default.contents(atPath: image0.path).map { Array($0) == image } == true, "pieces of \(size)")
            unlink(image0.path)
        }
    }
}

