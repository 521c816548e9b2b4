import Glibc
import SystemSupport

/// Cleans up helper groups a previous lens-gpt left behind (see `TiedProcess`): normally the
/// lifeline already took them down, but a watchdog can itself be killed.
public enum StaleProcesses {
    /// For every pid file in `pidDirectory` whose owner is gone: SIGKILL to each process that
    /// carries that owner's and group's `LENS_GPT_TIED` mark, then the file is removed.
    /// Returns the number of processes killed.
    @discardableResult
    public static func clean(pidDirectory: String) -> Int {
        guard let directory = opendir(pidDirectory) else { return 0 }
        var files: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".pid") { files.append(name) }
        }
        closedir(directory)
        var killed = 0
        for name in files {
            guard let group = pid_t(name.dropLast(4)) else { continue }
            let path = "\(pidDirectory)/\(name)"
            guard let owner = read(path).flatMap({ pid_t($0.filter { !$0.isWhitespace }) }) else {
                unlink(path)
                continue
            }
            if owner == getpid() || isLensGPT(owner) { continue }  // a live instance sharing the data directory
            for member in members(ofGroup: group, owner: owner) where kill(member, SIGKILL) == 0 { killed += 1 }
            unlink(path)
        }
        return killed
    }

    /// Processes whose environment has `LENS_GPT_TIED=owner:group` (the group's leader marked them
    /// all, also those that left the group).
    static func members(ofGroup group: pid_t, owner: pid_t) -> [pid_t] {
        guard let proc = opendir("/proc") else { return [] }
        defer { closedir(proc) }
        let mark = Array("LENS_GPT_TIED=\(owner):\(group)".utf8)
        var found: [pid_t] = []
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name) else { continue }
            let environment = readBytes("/proc/\(pid)/environ") ?? []
            if environment.split(separator: 0).contains(where: { Array($0) == mark }) { found.append(pid) }
        }
        return found
    }

    static func isLensGPT(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM, let command = readBytes("/proc/\(pid)/cmdline") else { return false }
        return String(decoding: command, as: UTF8.self).contains("lens-gpt")
    }

    static func read(_ path: String) -> String? { readBytes(path).map { String(decoding: $0, as: UTF8.self) } }

    /// procfs files: a process's environment and command line, at most 1 MiB.
    static func readBytes(_ path: String) -> [UInt8]? { try? BoundedFile.read(path, limit: 1 << 20).get() }
}
