import Foundation
import Glibc
import Testing
@testable import SystemSupport

/// The one bounded read: exactly the limit is read, one byte more is refused (and never loaded
/// whole), EINTR is retried, a missing file says so.
@Suite struct BoundedFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "lens-gpt-bounded-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func file(_ bytes: [UInt8]) throws -> String {
        let path = directory + "/" + UUID().uuidString
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aFileOfExactlyTheLimitIsReadWhole() throws {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(BoundedFile.read(try file(bytes), limit: 100_000) == .success(bytes))
    }

    @Test func oneBytePastTheLimitIsTooLarge() throws {
        let path = try file([UInt8](repeating: 1, count: 100_001))
        #expect(BoundedFile.read(path, limit: 100_000) == .failure(.tooLarge(limit: 100_000)))
        #expect(BoundedFile.text(path, limit: 100_000) == nil)
    }

    @Test func anEmptyFileIsEmptyAndAZeroLimitRefusesOneByte() throws {
        #expect(BoundedFile.read(try file([]), limit: 0) == .success([]))
        #expect(BoundedFile.read(try file([9]), limit: 0) == .failure(.tooLarge(limit: 0)))
    }

    @Test func aMissingFileIsAnOpenFailureWithItsReason() {
        let result = BoundedFile.read(directory + "/absent", limit: 10)
        #expect(result == .failure(.open(ENOENT)))
        if case .failure(let failure) = result { #expect(failure.description == "No such file or directory") }
    }

    @Test func aDirectoryIsAReadFailure() {
        #expect(BoundedFile.read(directory, limit: 10) == .failure(.read(EISDIR)))
    }

    @Test func procfsFilesThatReportSizeZeroAreReadToTheEnd() {
        let text = BoundedFile.text("/proc/self/status", limit: 1 << 20)
        #expect(text?.contains("Pid:") == true)
    }

    @Test func aPrefixStopsAtItsCountOrTheEnd() throws {
        let path = try file(Array("0123456789".utf8))
        #expect(BoundedFile.readPrefix(path, count: 4) == .success(Array("0123".utf8)))
        #expect(BoundedFile.readPrefix(path, count: 64) == .success(Array("0123456789".utf8)))
    }

    @Test func aReadInterruptedBySignalIsRetried() throws {
        let path = try file(Array("interrupted".utf8))
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        #expect(fd >= 0)
        defer { close(fd) }
        var calls = 0
        let result = BoundedFile.fill(fd, upTo: 100) { fd, buffer, count in
            calls += 1
            if calls <= 2 {
                errno = EINTR
                return -1
            }
            return BoundedFile.systemRead(fd, buffer, count)
        }
        #expect(result == .success(Array("interrupted".utf8)))
        #expect(calls == 4)  // two interrupted, one with the bytes, one at the end of the file
    }

    @Test func aReadErrorOtherThanEINTRIsReported() {
        let result = BoundedFile.fill(0, upTo: 100) { _, _, _ in
            errno = EIO
            return -1
        }
        #expect(result == .failure(.read(EIO)))
    }

    @Test func aPipeIsReadUpToTheLimitPlusOne() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let bytes = [UInt8](repeating: 2, count: 1_000)
        #expect(bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == 1_000)
        close(ends[1])
        #expect(BoundedFile.read(descriptor: ends[0], limit: 999) == .failure(.tooLarge(limit: 999)))
    }
}
