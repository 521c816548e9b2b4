import CEpoll
import Dispatch
import Glibc
import Synchronization
import SystemSupport

/// An upload's temp file, created, written and hashed off the loop: the loop thread only reads
/// the socket and scans the body, and never touches the disk (a stalled disk must not stall
/// every connection of the loop). Two serial queues share each chunk: one creates the file and
/// writes it, the other hashes, so the SHA-256 (the slower of the two) runs beside the write
/// instead of after it, while the loop reads the next bytes.
///
/// Bytes handed over and not yet both written and hashed are bounded by the caller: `append`
/// says when they pass `highWater`, and `onDrain` runs (on a queue) once they are back under half of it.
final class UploadFile: Sendable {
    /// Creates the file (on the write queue): its descriptor and path, or why not.
    typealias Create = @Sendable () throws(UploadError) -> (fd: Int32, path: String)

    private struct Disk {
        var fd: Int32 = -1
        var path: String?
    }

    let highWater: Int
    /// Touched only on `writeQueue`; a lock so the class is Sendable.
    private let disk = Mutex(Disk())
    /// Touched only on `hashQueue`.
    private let hasher = Mutex(SHA256Hasher())
    private let writeQueue = DispatchQueue(label: "lens-gpt.upload-file.write")
    private let hashQueue = DispatchQueue(label: "lens-gpt.upload-file.hash")
    private let pending = Atomic<Int>(0)
    private let waiting = Atomic<Bool>(false)
    /// Set by `discard`: chunks still queued are dropped unread.
    private let discarded = Atomic<Bool>(false)
    /// The first creation or write error; every later write is skipped and `finish` reports it.
    private let failure = Mutex<String?>(nil)
    private let onDrain: Mutex<(@Sendable () -> Void)?> = Mutex(nil)

    /// `create` runs first on the write queue, never on the caller's thread.
    init(highWater: Int, create: @escaping Create) {
        self.highWater = highWater
        writeQueue.async { [self] in
            do throws(UploadError) {
                let (fd, path) = try create()
                disk.withLock { $0.fd = fd; $0.path = path }
            } catch {
                fail(error.storageDetail)
            }
        }
    }

    /// A private temp file in `directory` (mode 0600, close-on-exec from birth: no child inherits an upload).
    static func temporary(in directory: String) -> Create {
        return { () throws(UploadError) -> (fd: Int32, path: String) in
            var template = Array("\(directory)/upload-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return -1 }
                return cepoll_mkstemp_cloexec(base)
            }
            guard fd >= 0 else { throw .storage(String(cString: strerror(errno))) }
            return (fd, String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// Run (on a queue) when the caller was told to wait and the backlog has drained.
    func setOnDrain(_ body: @escaping @Sendable () -> Void) {
        onDrain.withLock { $0 = body }
    }

    /// Why creating or writing the file failed, if it did (checked by the caller to refuse the upload early).
    var writeError: String? { failure.withLock { $0 } }

    /// Queues `chunk` to be written and hashed. Returns false when the caller should stop
    /// handing over bytes until `onDrain` runs.
    func append(_ chunk: UploadChunk) -> Bool {
        let size = chunk.count
        let backlog = pending.add(size, ordering: .sequentiallyConsistent).newValue
        writeQueue.async { [self] in
            write(chunk)
            settle(chunk)
        }
        hashQueue.async { [self] in
            if !discarded.load(ordering: .relaxed) { hasher.withLock { hasher in chunk.withBytes { hasher.update($0) } } }
            settle(chunk)
        }
        guard backlog > highWater else { return true }
        // Say "wait" only if the queues have not drained in between; whoever clears the flag
        // first acts, so the caller is resumed exactly once or never paused.
        waiting.store(true, ordering: .sequentiallyConsistent)
        if pending.load(ordering: .sequentiallyConsistent) <= highWater / 2,
           waiting.exchange(false, ordering: .sequentiallyConsistent)
        {
            return true
        }
        return false
    }

    /// One of the two queues is done with `chunk`; the second one releases its bytes from the backlog.
    private func settle(_ chunk: UploadChunk) {
        guard chunk.release() else { return }
        let left = pending.subtract(chunk.count, ordering: .sequentiallyConsistent).newValue
        if left <= highWater / 2, waiting.exchange(false, ordering: .sequentiallyConsistent) {
            onDrain.withLock { $0 }?()
        }
    }

    private func fail(_ problem: String) {
        failure.withLock { $0 = $0 ?? problem }
    }

    private func write(_ chunk: UploadChunk) {
        guard failure.withLock({ $0 }) == nil, !discarded.load(ordering: .relaxed) else { return }
        let problem: String? = disk.withLock { disk in
            chunk.withBytes { raw in
                guard let base = raw.baseAddress, disk.fd >= 0 else { return nil }
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(disk.fd, base + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return String(cString: strerror(errno))
                    }
                    offset += n
                }
                return nil
            }
        }
        if let problem { fail(problem) }
    }

    /// Closes the file; its path (nil if it was never created). On the write queue.
    private func closeFile() -> String? {
        disk.withLock { disk in
            // No fsync: the file only has to outlive its run, and a crash reruns the run.
            if disk.fd >= 0 { close(disk.fd) }
            disk.fd = -1
            return disk.path
        }
    }

    /// After every queued write and hash: closes the file and gives its SHA-256 (lowercase hex)
    /// and path, or the creation or write error (the file is then removed). `completion` runs on a queue.
    func finish(_ completion: @escaping @Sendable (Result<(digest: String, path: String), UploadError>) -> Void) {
        writeQueue.async { [self] in
            let path = closeFile()
            // Queued after every hash of the chunks appended before: the digest is complete.
            hashQueue.async { [self] in
                let hex = hasher.withLock { $0.finishHex() }
                if let problem = failure.withLock({ $0 }) {
                    if let path { unlink(path) }
                    completion(.failure(.storage(problem)))
                } else if let path {
                    completion(.success((hex, path)))
                } else {
                    completion(.failure(.storage("no file was created")))
                }
            }
        }
    }

    /// Drops what is still queued, then closes and removes the file (a refused or abandoned upload).
    func discard() {
        discarded.store(true, ordering: .relaxed)
        writeQueue.async { [self] in
            if let path = closeFile() { unlink(path) }
        }
    }
}

extension UploadError {
    /// The words a storage error carries (creation only ever throws `.storage`).
    var storageDetail: String {
        if case .storage(let detail) = self { return detail }
        return "\(self)"
    }
}
