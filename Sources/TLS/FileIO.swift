#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file writes certificate handling needs, on plain POSIX calls (no Foundation in
/// this target). Failures come back as the `strerror` text, for the caller to put in a `TLSError`.
enum FileIO {
    /// Certificate and key files are small; anything bigger is a wrong path (or /dev/zero).
    static let maximumReadSize = 1 << 20

    /// Writes `bytes` to `path` (created or truncated) and sets its mode to exactly `mode`, also
    /// when the file already existed with a wider one.
    static func writeAll(_ path: String, _ bytes: [UInt8], mode: mode_t) -> Result<Void, Failure> {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { return .failure(.errno(errno)) }
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { return .failure(.errno(errno)) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(.errno(errno))
            }
            offset += written
        }
        return .success(())
    }

    /// Creates `path` and any missing parents (like `mkdir -p`).
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) -> Result<Void, Failure> {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, mode) != 0 && errno != EEXIST { return .failure(.errno(errno)) }
            prefix += "/"
        }
        var status = stat()
        guard stat(path, &status) == 0 else { return .failure(.errno(errno)) }
        guard (status.st_mode & S_IFMT) == S_IFDIR else { return .failure(.errno(ENOTDIR)) }
        return .success(())
    }

    enum Failure: Error, CustomStringConvertible {
        case errno(Int32)

        var description: String {
            switch self {
            case .errno(let code): return String(cString: strerror(code))
            }
        }
    }

    /// The absolute, symlink-free form of an existing path, or the path itself if that fails.
    static func absolutePath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
