import EventLoop
import Glibc

/// How the request log is written: one line per request, buffered on each loop and written in
/// batches (nginx's `access_log … buffer= flush=`), so a request costs no system call of its own.
public struct AccessLogSettings: Sendable {
    /// Where the lines go (standard error by default).
    public var fd: Int32
    /// A loop writes its lines once this many bytes are waiting. Each write is at most
    /// `PIPE_BUF` (4096) bytes of whole lines, so lines from different loops never interleave
    /// even on a pipe; a larger value batches more lines per turn of the loop.
    public var bufferBytes: Int
    /// ...or this long after the first line that is waiting.
    public var flushMillis: Int
    /// The line for a request, without the newline.
    public var format: @Sendable (HTTPRequestLog) -> String

    public init(fd: Int32 = 2, bufferBytes: Int = 64 * 1024, flushMillis: Int = 1_000,
                format: @escaping @Sendable (HTTPRequestLog) -> String)
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

    init(settings: AccessLogSettings, loop: EventLoop) {
        self.settings = settings
        self.loop = loop
        bytes.reserveCapacity(min(settings.bufferBytes, 1 << 20) + 512)
    }

    func append(_ entry: HTTPRequestLog) {
        bytes.append(contentsOf: settings.format(entry).utf8)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= settings.bufferBytes {
            flush()
        } else if timer == nil {
            timer = loop.schedule(afterMillis: UInt64(settings.flushMillis)) { [self] in
                timer = nil
                flush()
            }
        }
    }

    /// Writes every waiting line, in chunks of whole lines of at most `PIPE_BUF` bytes.
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
                var end = min(all.count, start + Int(PIPE_BUF))
                if end < all.count, let lastNewline = all[start..<end].lastIndex(of: UInt8(ascii: "\n")) {
                    end = lastNewline + 1  // whole lines; a single line longer than PIPE_BUF goes as it is
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
