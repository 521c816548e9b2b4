import Glibc
import Synchronization

/// Small files already read, by path, while the file is the same one unchanged (inode, size,
/// modification and change times to the nanosecond): a page load asks for the same few files
/// again and again, and each would otherwise be read whole once more. Bounded in bytes; when a new
/// file would not fit, the cache starts over (the demo page's files fit many times over).
final class StaticFileCache: Sendable {
    struct Identity: Equatable {
        let device: UInt64, inode: UInt64, size: Int64
        let modified: timespec, changed: timespec

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = info.st_mtim
            changed = info.st_ctim
        }

        static func == (a: Identity, b: Identity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }
    }

    private struct Entry {
        let identity: Identity
        let body: [UInt8]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var hits = 0
    }

    let maxBytes: Int
    let maxFileBytes: Int
    private let state = Mutex(State())

    init(maxBytes: Int = 8 << 20, maxFileBytes: Int = 1 << 20) {
        self.maxBytes = maxBytes
        self.maxFileBytes = maxFileBytes
    }

    /// The bytes kept for `path` if the file is still `identity`.
    func body(for path: String, _ identity: Identity) -> [UInt8]? {
        state.withLock { state in
            guard let entry = state.entries[path], entry.identity == identity else { return nil }
            state.hits += 1
            return entry.body
        }
    }

    func keep(_ body: [UInt8], for path: String, _ identity: Identity) {
        guard body.count <= maxFileBytes else { return }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: path) { state.bytes -= old.body.count }
            if state.bytes + body.count > maxBytes { state.entries.removeAll(); state.bytes = 0 }
            state.entries[path] = Entry(identity: identity, body: body)
            state.bytes += body.count
        }
    }

    /// Answers served from memory (tests).
    var hits: Int { state.withLock { $0.hits } }
}
