import EventLoop
import Glibc

/// How the request log is written: one line per request, buffered on each loop and written in
/// batches (nginx's `access_log … buffer= flush=`), so a request costs no system call of its own.
public struct AccessLogSettings: Sendable {
    /// Where the lines go (standard error by default).
    public var fd: Int32
    /// A loop writes its lines once this many bytes are waiting. To a pipe (a container's log)
    /// each write is at most `PIPE_BUF` (4096) bytes of whole lines, so lines from different
    /// loops never interleave; to a file one write takes them all (appends do not interleave).
    public var bufferBytes: Int
    /// ...or this long after the first line that is waiting.
    public var flushMillis: Int
    /// Appends the line for a request, without the newline, to the loop's buffer.
    public var format: @Sendable (HTTPRequestLog, inout [UInt8]) -> Void

    public init(fd: Int32 = 2, bufferBytes: Int = 64 * 1024, flushMillis: Int = 1_000,
                format: @escaping @Sendable (HTTPRequestLog, inout [UInt8]) -> Void)
    {
        self.fd = fd
        self.bufferBytes = max(1, bufferBytes)
        self.flushMillis = max(1, flushMillis)
        self.format = format
    }
}

/// One loop's waiting log lines. Touched only by its loop's thread, and by `HTTPServer.shutdown`
/// after that thread has ended; memory is bounded by `bufferBytes` plus one line.
final class AccessLogBuffer {
    private let settings: AccessLogSettings
    private let loop: EventLoop
    private var bytes: [UInt8] = []
    private var timer: UInt64?
    /// The most one `write` takes.
    private let chunkBytes: Int

    init(settings: AccessLogSettings, loop: EventLoop) {
        self.settings = settings
        self.loop = loop
        var status = stat()
        let isFile = fstat(settings.fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        chunkBytes = isFile ? Int.max : Int(PIPE_BUF)
        bytes.reserveCapacity(min(settings.bufferBytes, 1 << 20) + 512)
    }

    func append(_ entry: HTTPRequestLog) {
        // Moved out and back: a stored property passed inout to a closure would be checked for
        // exclusive access at run time on every line.
        var lines = bytes
        bytes = []
        settings.format(entry, &lines)
        lines.append(UInt8(ascii: "\n"))
        bytes = lines
        if bytes.count >= settings.bufferBytes {
            flush()
        } else if timer == nil {
            timer = loop.schedule(afterMillis: UInt64(settings.flushMillis)) { [self] in
                timer = nil
                flush()
            }
        }
    }

    /// Writes every waiting line, in chunks of whole lines.
    func flush() {
        if let timer {
            loop.cancelTimer(timer)
            self.timer = nil
        }
        guard !bytes.isEmpty else { return }
        defer { bytes.removeAll(keepingCapacity: true) }
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            var start = 0
            while start < all.count {
                var end = all.count - start > chunkBytes ? start + chunkBytes : all.count
                if end < all.count, let lastNewline = all[start..<end].lastIndex(of: UInt8(ascii: "\n")) {
                    end = lastNewline + 1  // whole lines; a single longer line goes as it is
                }
                var offset = start
                while offset < end {
                    let written = Glibc.write(settings.fd, base + offset, end - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return }  // the log is gone: drop what waits rather than grow
                    offset += written
                }
                start = end
            }
        }
    }
}
