import Dispatch
import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing
@testable import Gateway

/// The off-loop half of an upload: hashing and writing on a background queue, with a bounded
/// backlog that tells the reader when to stop and says when to go on.
@Suite struct UploadFileTests {
    private func temporaryFile() throws -> (fd: Int32, path: String) {
        let path = NSTemporaryDirectory() + "upload-file-test-" + UUID().uuidString
        let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestClient.Failure(description: "open: \(errno)") }
        return (fd, path)
    }

    private func finish(_ file: UploadFile) -> Result<String, UploadError>? {
        let outcome = Mutex<Result<String, UploadError>?>(nil)
        file.finish { result in outcome.withLock { $0 = result } }
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
        let file = UploadFile(fd: ends[1], path: NSTemporaryDirectory() + "never-created-" + UUID().uuidString, highWater: 64 * 1024)
        let drains = Atomic<Int>(0)
        file.setOnDrain { drains.add(1, ordering: .relaxed) }
        var all: [UInt8] = []
        func chunk(_ i: Int) -> [UInt8] { (0..<16 * 1024).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
        var i = 0
        var paused = false
        while i < 64 && !paused {
            let next = chunk(i)
            all += next
            paused = !file.append(next)
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
            if !file.append(next) {
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
        let file = UploadFile(fd: readOnly, path: path, highWater: 1 << 20)
        _ = file.append(Array(repeating: 7, count: 1000))
        #expect(waitUntil { file.writeError != nil })
        guard case .failure(let error)? = finish(file), case .storage = error else {
            Issue.record("finish must report the storage error")
            return
        }
        #expect(access(path, F_OK) != 0, "the partial file is removed")
    }

    @Test func aDiscardedUploadLeavesNoFile() throws {
        let (fd, path) = try temporaryFile()
        let file = UploadFile(fd: fd, path: path, highWater: 1 << 20)
        _ = file.append(Array(repeating: 1, count: 300_000))
        file.discard()
        #expect(waitUntil { access(path, F_OK) != 0 })
    }
}
