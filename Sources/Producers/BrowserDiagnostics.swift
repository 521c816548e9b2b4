import Glibc
import Outbound

/// What a failed browser run leaves behind for a person to look at: a screenshot and the page
/// source, best effort (the browser may be gone).
enum BrowserDiagnostics {
    /// The paths written under `directory` (nil: nothing is kept).
    static func save(_ session: WebDriverSession, into directory: String?, stem name: String) -> [String] {
        guard let directory else { return [] }
        if mkdir(directory, 0o755) != 0 && errno != EEXIST { return [] }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let stem = "\(directory)/\(safe)-\(now.tv_sec * 1_000 + now.tv_nsec / 1_000_000)"
        var saved: [String] = []
        if let png = try? session.screenshot(), write(png, to: stem + ".png") { saved.append(stem + ".png") }
        if let html = try? session.pageSource(), write(Array(html.utf8), to: stem + ".html") { saved.append(stem + ".html") }
        return saved
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return Glibc.write(fd, base + offset, bytes.count - offset)
            }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
