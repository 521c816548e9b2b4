import Foundation
import Glibc
import TestSupport

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
    /// `requirepass`: every client authenticates (the gateways through the URL).
    let password: String?
    private let extraArguments: [String]
    private var process: Process?
    var url: String { "redis://" + (password.map { ":\($0)@" } ?? "") + "127.0.0.1:\(port)" }

    /// `arguments`: more `redis-server` options (`--maxmemory`, ...).
    init(password: String? = nil, arguments: [String] = []) throws {
        self.password = password
        extraArguments = arguments
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
            + (password.map { ["--requirepass", $0] } ?? []) + extraArguments
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
        if let client = try? TestClient(port: port) { try? client.send(auth + "SHUTDOWN\r\n") }
        if !waitUntil(timeout: 10, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        _ = waitUntil(timeout: 10) { !process.isRunning }
        self.process = nil
    }

    func ping() -> Bool {
        (try? command("PING", timeout: 2))?.contains("+PONG") == true
    }

    /// The AUTH line that goes before a raw command when the server has a password.
    private var auth: String { password.map { "AUTH \($0)\r\n" } ?? "" }

    /// One inline command on a new connection (authenticated first); its raw reply.
    @discardableResult
    func command(_ line: String, timeout: Double = 10) throws -> String {
        let client = try TestClient(port: port)
        try client.send(auth + line + "\r\n")
        let replies = password == nil ? 1 : 2
        let bytes = try client.read(until: { RedisServer.replyLines($0) >= replies }, timeout: timeout)
        let text = String(decoding: bytes, as: UTF8.self)
        // With a password, the first reply is AUTH's.
        guard password != nil, let auth = text.range(of: "\r\n") else { return text }
        return String(text[auth.upperBound...])
    }

    /// Sends a command without waiting for its reply (`CLIENT PAUSE`, `DEBUG SLEEP`).
    func send(_ line: String) throws -> TestClient {
        let client = try TestClient(port: port)
        try client.send(auth + line + "\r\n")
        return client
    }

    /// Complete one-line replies (`+OK`, `:1`, `-ERR`) and bulk strings received so far.
    private static func replyLines(_ bytes: [UInt8]) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        var count = 0
        var lines = text.components(separatedBy: "\r\n").dropLast()[...]
        while let line = lines.popFirst() {
            if line.hasPrefix("$"), let length = Int(line.dropFirst()), length >= 0 {
                guard lines.popFirst() != nil else { break }
            }
            count += 1
        }
        return count
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
