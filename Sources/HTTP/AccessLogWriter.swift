import Dispatch
import Glibc
import Synchronization
import SystemSupport

/// Writes the request log's full buffers on a thread of its own, in the order the loops hand
/// them over: a slow disk or a pipe nobody reads holds this thread, never an event loop.
/// At most `maxWaitingBytes` wait for it; past that a loop's buffer is dropped, so a stalled log
/// costs bounded memory and no request any time.
final class AccessLogWriter: Sendable {
    private struct State {
        var waiting: [[UInt8]] = []
        var waitingBytes = 0
        var stopping = false
    }
    private let fd: Int32
    /// The most one `write` takes: whole lines of at most `PIPE_BUF` bytes to a pipe, so they
    /// do not interleave with the process' other log lines; all at once to a file.
    private let chunkBytes: Int
    private let maxWaitingBytes: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let thread = Mutex<pthread_t?>(nil)

    /// `bufferBytes`: what a loop hands over at a time; 16 of them (at least 1 MiB) may wait.
    init(fd: Int32, bufferBytes: Int) {
        self.fd = fd
        maxWaitingBytes = max(16 * bufferBytes, 1 << 20)
        var status = stat()
        let isFile = fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        chunkBytes = isFile ? Int.max : Int(PIPE_BUF)
    }

    /// Starts the thread (once; a server without a request log never starts one).
    func start() throws(SystemThread.StartError) {
        let started = try SystemThread.start { [self] in run() }
        thread.withLock { $0 = started }
    }

    /// Hands a buffer of whole lines over (any thread). Never waits for the disk.
    func submit(_ lines: [UInt8]) {
        guard !lines.isEmpty else { return }
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping, state.waitingBytes + lines.count <= maxWaitingBytes else { return false }
            state.waiting.append(lines)
            state.waitingBytes += lines.count
            return true
        }
        if accepted { wake.signal() }
    }

    /// Writes what waits, then ends the thread and waits for it (shutdown, after the loops).
    func finish() {
        state.withLock { $0.stopping = true }
        wake.signal()
        if let started = thread.withLock({ t -> pthread_t? in
            defer { t = nil }
            return t
        }) {
            pthread_join(started, nil)
        }
    }

    private func run() {
        while true {
            wake.wait()
            let (batch, stopping) = state.withLock { state -> ([[UInt8]], Bool) in
                defer {
                    state.waiting.removeAll()
                    state.waitingBytes = 0
                }
                return (state.waiting, state.stopping)
            }
            for lines in batch { write(lines) }
            if stopping { return }  // nothing is accepted once stopping is set
        }
    }

    /// Writes one buffer in chunks of whole lines.
    private func write(_ lines: [UInt8]) {
        lines.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            var start = 0
            while start < all.count {
                var end = all.count - start > chunkBytes ? start + chunkBytes : all.count
                if end < all.count, let lastNewline = all[start..<end].lastIndex(of: UInt8(ascii: "\n")) {
                    end = lastNewline + 1  // whole lines; a single longer line goes as it is
                }
                var offset = start
                while offset < end {
                    let written = Glibc.write(fd, base + offset, end - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return }  // the log is gone: drop this buffer rather than spin
                    offset += written
                }
                start = end
            }
        }
    }
}
