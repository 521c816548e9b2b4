import EventLoop
import Glibc

/// How the request log is written: one line per request, buffered on each loop and written in
/// batches (nginx's `access_log … buffer= flush=`), so a request costs no system call of its own.
public struct AccessLogSettings: Sendable {
    /// Where the lines go (standard error by default).
    public var fd: Int32
    /// A loop hands its lines to the log's writer thread once this many bytes are waiting. To a
    /// pipe (a container's log) each write is at most `PIPE_BUF` (4096) bytes of whole lines, so
    /// they never interleave with other log lines; to a file one write takes them all.
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
/// after that thread has ended; memory is bounded by `bufferBytes` plus one line. Full buffers
/// go to the server's `AccessLogWriter`: the loop never writes to the log itself.
final class AccessLogBuffer {
    private let settings: AccessLogSettings
    private let loop: EventLoop
    private let writer: AccessLogWriter
    private var bytes: [UInt8] = []
    private var timer: UInt64?

    init(settings: AccessLogSettings, loop: EventLoop, writer: AccessLogWriter) {
        self.settings = settings
        self.loop = loop
        self.writer = writer
    }

    func append(_ entry: HTTPRequestLog) {
        if bytes.isEmpty { bytes.reserveCapacity(min(settings.bufferBytes, 1 << 20) + 512) }
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

    /// Hands every waiting line to the writer; the next line starts a new buffer.
    func flush() {
        if let timer {
            loop.cancelTimer(timer)
            self.timer = nil
        }
        guard !bytes.isEmpty else { return }
        writer.submit(bytes)
        bytes = []
    }
}
