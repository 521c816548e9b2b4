#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way this project reads a whole file: never more than a limit into memory, a read
/// interrupted by a signal (EINTR) is retried, and a file past the limit is an error, not a
/// silently cut copy. A file of exactly `limit` bytes is read; one byte more is `.tooLarge`.
/// Blocks on the disk: never call it on an event-loop thread.
public enum BoundedFile {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// `open` failed with this errno (missing file, no permission).
        case open(Int32)
        /// `read` failed with this errno (not EINTR, which is retried).
        case read(Int32)
        /// The file holds more than `limit` bytes; at most `limit + 1` were read to find out.
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .open(let code), .read(let code): return String(cString: strerror(code))
            case .tooLarge(let limit): return "file is larger than \(limit) bytes"
            }
        }
    }

    /// The whole file at `path` when it holds at most `limit` bytes.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        withDescriptor(path) { read(descriptor: $0, limit: limit) }
    }

    /// Everything left on `descriptor` (a file, a pipe, stdin) when it is at most `limit` bytes.
    /// The descriptor stays open.
    public static func read(descriptor: Int32, limit: Int) -> Result<[UInt8], Failure> {
        fill(descriptor, upTo: limit == .max ? .max : limit + 1, reader: systemRead).flatMap { bytes in
            bytes.count > limit ? .failure(.tooLarge(limit: limit)) : .success(bytes)
        }
    }

    /// The file's first `count` bytes, or all of it when it is shorter (a format sniff).
    public static func readPrefix(_ path: String, count: Int) -> Result<[UInt8], Failure> {
        withDescriptor(path) { fill($0, upTo: count, reader: systemRead) }
    }

    /// The file as text (procfs, sysfs and settings files), nil when it cannot be read whole.
    public static func text(_ path: String, limit: Int) -> String? {
        guard case .success(let bytes) = read(path, limit: limit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    typealias Reader = (_ fd: Int32, _ into: UnsafeMutableRawPointer, _ count: Int) -> Int

    static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    private static func withDescriptor(_ path: String, _ body: (Int32) -> Result<[UInt8], Failure>) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.open(errno)) }
        defer { close(fd) }
        return body(fd)
    }

    /// Reads until end of file or `maximum` bytes, whichever comes first (`reader`: `read(2)`, or a
    /// test's stand-in that fails with EINTR). procfs and sysfs files
    /// report a size of 0, so the size is never asked: the loop reads to the end.
    static func fill(_ fd: Int32, upTo maximum: Int, reader: Reader) -> Result<[UInt8], Failure> {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(1, min(maximum, 64 * 1024)))
        while out.count < maximum {
            let wanted = min(chunk.count, maximum - out.count)
            let n = chunk.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return reader(fd, base, wanted)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.read(errno))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return .success(out)
    }
}
