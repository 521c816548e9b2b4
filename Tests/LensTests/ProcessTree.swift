import Foundation
import Glibc

/// Processes as /proc shows them, for tests that check what a process leaves behind.
enum ProcessTree {
    /// A process by id and start time (a reused pid is another process).
    struct Member: Hashable, CustomStringConvertible {
        let pid: pid_t
        let startTime: String
        let command: String
        var description: String { "\(pid) \(command)" }
    }

    /// `/proc/PID/stat`: state, parent, start time, and the command name.
    static func stat(_ pid: pid_t) -> (state: String, parent: pid_t, startTime: String, command: String)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        let command = String(text[text.index(after: open)..<close])
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(3) ppid(4) ... starttime(22), numbered from 1 with pid and comm.
        guard fields.count > 19, let parent = pid_t(fields[1]) else { return nil }
        return (String(fields[0]), parent, String(fields[19]), command)
    }

    /// Every process below `root` now.
    static func descendants(of root: pid_t) -> Set<Member> {
        var children: [pid_t: [Member]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), let info = stat(pid) else { continue }
            children[info.parent, default: []].append(Member(pid: pid, startTime: info.startTime, command: info.command))
        }
        var found = Set<Member>()
        var queue = [root]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where found.insert(child).inserted { queue.append(child.pid) }
        }
        return found
    }

    /// Whether the same process still runs (a zombie does not).
    static func isRunning(_ member: Member) -> Bool {
        guard let info = stat(member.pid) else { return false }
        return info.startTime == member.startTime && info.state != "Z"
    }
}
