import Glibc
import Synchronization

/// A `chromedriver` that lens-gpt starts itself (when no WebDriver URL is configured), restarts
/// when it has died, and stops on exit. It runs in its own process group so that stopping it
/// also stops the browsers it started.
public final class ChromeDriverProcess: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let executable: String
    /// Where chromedriver writes its log (`/dev/null` when nil).
    public let logPath: String?
    private let running = Mutex<(pid: pid_t, url: String)?>(nil)

    public init(executable: String, logPath: String? = nil) {
        self.executable = executable
        self.logPath = logPath
    }

    deinit { stop() }

    /// `name` on `PATH`, or nil.
    public static func find(_ name: String = "chromedriver") -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
            return "\(directory)/\(name)"
        }
        return nil
    }

    /// The process id while it runs (tests kill it to check recovery).
    public var pid: pid_t? { running.withLock { $0?.pid } }

    /// The WebDriver URL of a running chromedriver, started (or restarted) when needed.
    public func ensureRunning(timeoutMillis: Int = 15_000) throws(StartError) -> String {
        try running.withLock { current throws(StartError) -> String in
            if let current, ChromeDriverProcess.isAlive(current.pid) { return current.url }
            if let old = current { ChromeDriverProcess.terminate(group: old.pid) }  // browsers it left behind
            current = nil
            var lastError = StartError(description: "chromedriver did not start")
            for _ in 0..<3 {  // a free port can be taken between probing and binding: try another
                do throws(StartError) {
                    let started = try launch(timeoutMillis: timeoutMillis)
                    current = started
                    return started.url
                } catch {
                    lastError = error
                }
            }
            throw lastError
        }
    }

    /// Stops chromedriver and its browsers.
    public func stop() {
        running.withLock { current in
            if let current { ChromeDriverProcess.terminate(group: current.pid) }
            current = nil
        }
    }

    private func launch(timeoutMillis: Int) throws(StartError) -> (pid: pid_t, url: String) {
        guard let port = ChromeDriverProcess.freeLoopbackPort() else { throw StartError(description: "no free loopback port") }
        let arguments = [executable, "--port=\(port)", "--allowed-ips=127.0.0.1"]
        var pid = pid_t()
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        // Own process group (so stop reaches the browsers), default signal handling and an empty
        // mask: the server blocks SIGTERM in its threads and ignores SIGPIPE, and both are inherited.
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let log = logPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw StartError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }

        let url = "http://127.0.0.1:\(port)"
        let client = WebDriverClient(baseURL: url, commandTimeoutMillis: 1_000)
        let deadline = ChromeDriverProcess.nowMillis() + timeoutMillis
        while ChromeDriverProcess.nowMillis() < deadline {
            if client.isReady(timeoutMillis: 1_000) { return (pid, url) }
            guard ChromeDriverProcess.isAlive(pid) else {
                throw StartError(description: "\(executable) exited at start (port \(port))")
            }
            usleep(25_000)  // polling the status endpoint until the deadline
        }
        ChromeDriverProcess.terminate(group: pid)
        throw StartError(description: "\(executable) did not become ready within \(timeoutMillis) ms")
    }

    /// SIGTERM to the group, then SIGKILL if it is still there after a grace period; reaps the leader.
    static func terminate(group pid: pid_t) {
        kill(-pid, SIGTERM)
        let deadline = nowMillis() + 2_000
        while isAlive(pid) && nowMillis() < deadline { usleep(10_000) }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }

    /// Reaps the process if it has exited.
    static func isAlive(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { return false }
        if reaped == -1 && errno == ECHILD { return kill(pid, 0) == 0 }
        return true
    }

    static func freeLoopbackPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    static func nowMillis() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000 + now.tv_nsec / 1_000_000
    }
}
