import Dispatch
import Glibc
import Synchronization
import SystemSupport

/// An upload's temp file, hashed and written on a serial background queue: the loop thread
/// only reads the socket and scans the body, and reads the next bytes while the last ones are
/// hashed and written (hashing alone was about 40% of the loop's time on a large upload).
///
/// Bytes handed over and not yet written are bounded by the caller: `append` says when they
/// pass `highWater`, and `onDrain` runs (on the queue) once they are back under half of it.
final class UploadFile: Sendable {
    private struct State {
        var fd: Int32
        let hasher = SHA256Hasher()
    }

    let path: String
    let highWater: Int
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "lens-gpt.upload-file")
    private let pending = Atomic<Int>(0)
    private let waiting = Atomic<Bool>(false)
    /// The first write error; every later write is skipped and `finish` reports it.
    private let failure = Mutex<String?>(nil)
    private let onDrain: Mutex<(@Sendable () -> Void)?> = Mutex(nil)

    init(fd: Int32, path: String, highWater: Int) {
        self.path = path
        self.highWater = highWater
        state = Mutex(State(fd: fd))
    }

    /// Run (on the queue) when the caller was told to wait and the backlog has drained.
    func setOnDrain(_ body: @escaping @Sendable () -> Void) {
        onDrain.withLock { $0 = body }
    }

    /// Why writing failed, if it did (checked by the caller to refuse the upload early).
    var writeError: String? { failure.withLock { $0 } }

    /// Queues `bytes` to be hashed and written. Returns false when the caller should stop
    /// handing over bytes until `onDrain` runs.
    func append(_ bytes: [UInt8]) -> Bool {
        let size = bytes.count
        let backlog = pending.add(size, ordering: .sequentiallyConsistent).newValue
        queue.async { [self] in
            write(bytes)
            let left = pending.subtract(size, ordering: .sequentiallyConsistent).newValue
            if left <= highWater / 2, waiting.exchange(false, ordering: .sequentiallyConsistent) {
                onDrain.withLock { $0 }?()
            }
        }
        guard backlog > highWater else { return true }
        // Say "wait" only if the queue has not drained in between; whoever clears the flag
        // first acts, so the caller is resumed exactly once or never paused.
        waiting.store(true, ordering: .sequentiallyConsistent)
        if pending.load(ordering: .sequentiallyConsistent) <= highWater / 2,
           waiting.exchange(false, ordering: .sequentiallyConsistent)
        {
            return true
        }
        return false
    }

    private func write(_ bytes: [UInt8]) {
        guard failure.withLock({ $0 }) == nil else { return }
        let problem: String? = state.withLock { state in
            bytes.withUnsafeBytes { raw in
                state.hasher.update(raw)
                guard let base = raw.baseAddress else { return nil }
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(state.fd, base + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return String(cString: strerror(errno))
                    }
                    offset += n
                }
                return nil
            }
        }
        if let problem { failure.withLock { $0 = $0 ?? problem } }
    }

    /// After every queued write: closes the file and gives its SHA-256 (lowercase hex), or the
    /// write error (the file is then removed). `completion` runs on the queue.
    func finish(_ completion: @escaping @Sendable (Result<String, UploadError>) -> Void) {
        queue.async { [self] in
            let hex = state.withLock { state -> String in
                // No fsync: the file only has to outlive its run, and a crash reruns the run.
                if state.fd >= 0 { close(state.fd) }
                state.fd = -1
                return state.hasher.finishHex()
            }
            if let problem = failure.withLock({ $0 }) {
                unlink(path)
                completion(.failure(.storage(problem)))
            } else {
                completion(.success(hex))
            }
        }
    }

    /// After every queued write: closes and removes the file (a refused or abandoned upload).
    func discard() {
        queue.async { [self] in
            state.withLock { state in
                if state.fd >= 0 { close(state.fd) }
                state.fd = -1
            }
            unlink(path)
        }
    }
}
