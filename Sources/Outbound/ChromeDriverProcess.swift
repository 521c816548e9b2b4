import CEpoll
import Glibc
import Synchronization

/// A `chromedriver` that lens-gpt starts itself (when no WebDriver URL is configured), restarts
/// when it has died, and stops on exit. It is a `TiedProcess`: it and the browsers it starts die
/// with lens-gpt, also when lens-gpt is killed.
public final class ChromeDriverProcess: Sendable {
    public typealias StartError = TiedProcess.StartError

    public let executable: String
    /// Where chromedriver writes its log (`/dev/null` when nil).
    public let logPath: String?
    /// Where the pid files go that let the next start clean up after a crash (none when nil).
    public let pidDirectory: String?
    /// Added to chromedriver's environment, which the browsers inherit (e.g. `DISPLAY`).
    public let environment: [String: String]
    private let running = Mutex<(process: TiedProcess, url: String)?>(nil)

    public init(executable: String, logPath: String? = nil, pidDirectory: String? = nil, environment: [String: String] = [:]) {
        self.executable = executable
        self.logPath = logPath
        self.pidDirectory = pidDirectory
        self.environment = environment
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
    public var pid: pid_t? { running.withLock { $0?.process.pid } }

    /// The WebDriver URL of a running chromedriver, started (or restarted) when needed.
    public func ensureRunning(timeoutMillis: Int = 15_000) throws(StartError) -> String {
        try running.withLock { current throws(StartError) -> String in
            if let current, current.process.isAlive { return current.url }
            current?.process.stop(graceMillis: 0)  // browsers it left behind
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
            current?.process.stop()
            current = nil
        }
    }

    private func launch(timeoutMillis: Int) throws(StartError) -> (process: TiedProcess, url: String) {
        guard let port = ChromeDriverProcess.freeLoopbackPort() else { throw StartError(description: "no free loopback port") }
        let process = try TiedProcess.start([executable, "--port=\(port)", "--allowed-ips=127.0.0.1"],
                                            environment: environment, logPath: logPath, pidDirectory: pidDirectory)
        let url = "http://127.0.0.1:\(port)"
        let client = WebDriverClient(baseURL: url, commandTimeoutMillis: 1_000)
        let deadline = TiedProcess.nowMillis() + timeoutMillis
        while TiedProcess.nowMillis() < deadline {
            if client.isReady(timeoutMillis: 1_000) { return (process, url) }
            guard process.isAlive else {
                process.stop(graceMillis: 0)
                throw StartError(description: "\(executable) exited at start (port \(port))")
            }
            usleep(25_000)  // polling the status endpoint until the deadline
        }
        process.stop(graceMillis: 0)
        throw StartError(description: "\(executable) did not become ready within \(timeoutMillis) ms")
    }

    static func freeLoopbackPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
}
