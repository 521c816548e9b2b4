import Glibc

/// Whether the data directory can take results and uploads: it exists, is writable, its file
/// system is not mounted read-only and has at least `minFreeBytes` free. One `statvfs` and one
/// `access`: cheap enough to run on every `/readyz` probe.
struct DiskReadiness: Sendable {
    let directory: String
    let minFreeBytes: Int

    struct Result {
        /// `ok`, `missing`, `read_only`, `not_writable` or `low_space`.
        var state: String
        var freeBytes: Int?
        var ok: Bool { state == "ok" }
    }

    func check() -> Result {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return Result(state: "missing") }
        let free = Int(clamping: UInt64(info.f_bavail) &* UInt64(info.f_frsize))
        if info.f_flag & UInt(ST_RDONLY) != 0 { return Result(state: "read_only", freeBytes: free) }
        guard access(directory, W_OK) == 0 else { return Result(state: "not_writable", freeBytes: free) }
        return Result(state: free < minFreeBytes ? "low_space" : "ok", freeBytes: free)
    }
}
