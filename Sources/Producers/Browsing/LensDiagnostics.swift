import Glibc
import Synchronization
import Secrets
import SystemSupport

/// What a failed Lens search leaves for the operator: its screenshot and page source, each a
/// file named by an id (`diag-<result id prefix>-<ms>.png` / `.html`) in one directory. Files are
/// 0600 in a 0700 directory, bounded in count and in bytes (the oldest go first), and purged with
/// the results. Events carry the ids, never a server path; the operator finds the files with
/// `lens-gpt diagnostics` or in `<data-dir>/diagnostics/`.
public struct LensDiagnostics: Sendable {
    public let directory: String
    /// Files kept at most (a failure leaves two).
    public let maxFiles: Int
    /// Bytes kept at most, all files together.
    public let maxBytes: Int

    public static let defaultMaxFiles = 200
    public static let defaultMaxBytes = 64 * 1024 * 1024

    /// Saves from several worker threads at once stay within the bounds.
    private static let saving = Mutex(())

    public init(directory: String, maxFiles: Int = defaultMaxFiles, maxBytes: Int = defaultMaxBytes) {
        self.directory = directory
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
    }

    /// One saved file.
    public struct Entry: Sendable {
        public var id: String
        public var bytes: Int
        /// Seconds since 1970 (last modification).
        public var modified: Int
    }

    /// Saves what it gets and returns the ids of what was saved (best effort: a full disk or an
    /// artifact larger than the whole budget saves nothing).
    public func save(name: String, screenshot: [UInt8]?, pageSource: String?) -> [String] {
        guard maxFiles > 0, maxBytes > 0 else { return [] }
        let safeName = String(name.utf8.prefix(16).map { LensDiagnostics.isIDByte($0) ? Character(UnicodeScalar($0)) : "_" })
        let stem = "diag-\(safeName)-\(WallClock.nowMillis())"
        var items: [(String, [UInt8])] = []
        if let screenshot { items.append((stem + ".png", screenshot)) }
        // A page may echo what was sent to it (cookies, a key in a URL): scrubbed like every text that leaves.
        if let pageSource { items.append((stem + ".html", Array(SecretScrubber.shared.scrub(pageSource).utf8))) }
        return LensDiagnostics.saving.withLock { _ -> [String] in
            if mkdir(directory, 0o700) != 0 && errno != EEXIST { return [] }
            var saved: [String] = []
            for (id, bytes) in items where bytes.count <= maxBytes {
                makeRoom(forBytes: bytes.count)
                if LensDiagnostics.write(bytes, to: directory + "/" + id) { saved.append(id) }
            }
            return saved
        }
    }

    /// The file of an id, or nil when the id is malformed (never a path: no `/`, no `..`) or gone.
    public func path(for id: String) -> String? {
        guard id.hasPrefix("diag-"), id.utf8.count <= 64, id.utf8.allSatisfy(LensDiagnostics.isIDByte),
              !id.contains("..") else { return nil }
        let path = directory + "/" + id
        return access(path, F_OK) == 0 ? path : nil
    }

    /// Every saved file, oldest first.
    public func list() -> [Entry] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix("diag-") else { continue }
            var info = stat()
            guard stat(directory + "/" + name, &info) == 0 else { continue }
            entries.append(Entry(id: name, bytes: Int(info.st_size), modified: Int(info.st_mtim.tv_sec)))
        }
        return entries.sorted { ($0.modified, $0.id) < ($1.modified, $1.id) }
    }

    /// Deletes files older than `seconds` (called with the results' retention); returns how many.
    @discardableResult
    public func purge(olderThanSeconds seconds: Int64) -> Int {
        let cutoff = Int(time(nil)) - Int(seconds)
        return LensDiagnostics.saving.withLock { _ in
            var removed = 0
            for entry in list() where entry.modified < cutoff {
                if unlink(directory + "/" + entry.id) == 0 { removed += 1 }
            }
            return removed
        }
    }

    /// Deletes the oldest files until one more of `bytes` fits both bounds.
    private func makeRoom(forBytes bytes: Int) {
        var entries = list()
        var total = entries.reduce(0) { $0 + $1.bytes }
        while !entries.isEmpty && (entries.count + 1 > maxFiles || total + bytes > maxBytes) {
            let oldest = entries.removeFirst()
            unlink(directory + "/" + oldest.id)
            total -= oldest.bytes
        }
    }

    static func isIDByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return false }
        fchmod(fd, 0o600)  // whatever the umask or an older file said
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.write(fd, base + offset, bytes.count - offset)
            }
            if n <= 0 {
                close(fd)
                unlink(path)  // no half files
                return false
            }
            offset += n
        }
        close(fd)
        return true
    }
}
