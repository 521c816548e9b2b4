import Foundation
import Glibc

/// A real `redis-server` (Debian's) for one test: its own free loopback port and temp
/// directory, append-only persistence so that a restart keeps what was written.
final class RedisServer {
    static let binary = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// For `.enabled(if:)`; a run without it prints SKIPPED once.
    static var available: Bool {
        if binary == nil { print("SKIPPED: redis-server is not installed (scripts/deps test installs it)") }
        return binary != nil
    }

    let port: Int
    let directory: String
    private var process: Process?
    var url: String { "redis://127.0.0.1:\(port)" }

    init() throws {
        port = try RedisServer.freePort()
        directory = NSTemporaryDirectory() + "lens-gpt-redis-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func start() throws {
        guard let binary = RedisServer.binary else { throw TestClient.Failure(description: "no redis-server") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--dir", directory, "--appendonly", "yes",
                             "--appendfsync", "everysec", "--save", "", "--daemonize", "no", "--protected-mode", "no",
                             "--logfile", directory + "/redis.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        guard waitUntil(timeout: 10, { self.ping() }) else { throw TestClient.Failure(description: "redis-server did not answer on \(port)") }
    }

    /// Stops it cleanly with the SHUTDOWN command (Redis syncs its append-only file first);
    /// SIGTERM would not do, as the test runner's threads block it and a child inherits that.
    func stop() {
        guard let process, process.isRunning else { return }
        if let client = try? TestClient(port: port) { try? client.send("SHUTDOWN\r\n") }
        if !waitUntil(timeout: 10, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        _ = waitUntil(timeout: 10) { !process.isRunning }
        self.process = nil
    }

    func ping() -> Bool {
        guard let client = try? TestClient(port: port) else { return false }
        guard (try? client.send("PING\r\n")) != nil else { return false }
        return (try? client.read(until: { $0.contains("\r\n") }, timeout: 2))?.contains("+PONG") == true
    }

    /// A port nothing listens on right now (bound and released by the kernel's choice).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClient.Failure(description: "socket") }
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
        guard bound else { throw TestClient.Failure(description: "bind") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
