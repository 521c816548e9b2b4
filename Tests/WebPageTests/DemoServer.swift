import Foundation
import Glibc
import TestSupport

/// The built `lens-gpt serve --demo` in a child process on a free loopback port, with a temporary
/// data directory and the repository's `web/`: the page exactly as a person runs it.
final class DemoServer {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static let root = PeerData.packageRoot
    static let binary = lensGPTBinary ?? "/nonexistent/lens-gpt"

    let process = Process()
    let directory: String
    let logPath: String
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `arguments`: more flags for `serve`; `environment`: variables set for the server only.
    init(arguments: [String] = [], environment: [String: String] = [:]) throws {
        directory = NSTemporaryDirectory() + "lens-web-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The log goes to a file, not a pipe: a pipe nobody drains would block the server once full.
        logPath = directory + "/serve.log"
        try Data().write(to: URL(fileURLWithPath: logPath))
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: DemoServer.binary)
        process.arguments = ["serve", "--demo", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                             "--data-dir", directory + "/data", "--web-dir", DemoServer.root.appendingPathComponent("web").path,
                             "--uploads-per-minute", "0"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()

        var found: Int?
        let (logPath, process) = (logPath, process)
        waitUntil(timeout: 30, every: 0.05) {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            return found != nil || !process.isRunning
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw Failure(description: "serve --demo did not start: \(DemoServer.tail(logPath))")
        }
        port = found
    }

    /// The end of the server's log, for failure messages.
    static func tail(_ path: String) -> String { String(((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").suffix(4000)) }

    /// SIGTERM (the server stops its own browsers and demo world), SIGKILL if it hangs.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            waitUntil(timeout: 15, every: 0.05) { !process.isRunning }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
