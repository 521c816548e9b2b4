import Foundation
import Glibc
import Outbound
import TestSupport
import Testing

/// Browser processes live no longer than the lens-gpt that started them, however it ends.
@Suite(.serialized, .enabled(if: lensGPTBinary != nil && ChromeDriverProcess.find() != nil,
                             "needs lens-gpt built beside the tests and chromedriver on PATH"))
struct BrowserLifetimeTests {
    /// `serve --demo` in a child process, its log in a file; the port from the log.
    final class Server {
        let process = Process()
        let directory: String
        let logPath: String
        var port = 0

        init(_ extra: [String] = []) throws {
            directory = NSTemporaryDirectory() + "lens-lifetime-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            logPath = directory + "/serve.log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.executableURL = URL(fileURLWithPath: lensGPTBinary ?? "/nonexistent")
            process.arguments = ["serve", "--demo", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                                 "--data-dir", directory + "/data", "--web-dir", directory] + extra
            process.standardOutput = log
            process.standardError = log
            try process.run()
            try? log.close()
        }

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        /// Waits until the server listens and its browser pool is ready.
        func waitReady() throws {
            let listening = waitUntil(timeout: 60, every: 0.05) {
                guard let range = log.range(of: "listening on http://127.0.0.1:") else { return false }
                port = Int(log[range.upperBound...].prefix { $0.isNumber }) ?? 0
                return port > 0
            }
            try #require(listening, "serve did not start: \(log.suffix(3000))")
            let http = HTTPClient()
            let ready = waitUntil(timeout: 90, every: 0.05) {
                let answer = try? http.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz", timeoutMillis: 2_000))
                return answer?.status == 200 && answer?.text.contains("\"ready\"") == true
            }
            try #require(ready, "the browser pool did not become ready: \(log.suffix(3000))")
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            _ = waitUntil(timeout: 10, every: 0.05) { !process.isRunning }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Headless, and headed on an Xvfb of serve's own (which must die along too).
    @Test(arguments: [[], ["--xvfb"]])
    func killMinusNineOfServeTakesItsBrowsersAlong(_ flags: [String]) throws {
        if flags.contains("--xvfb") && ChromeDriverProcess.find("Xvfb") == nil {
            print("SKIPPED: Xvfb is not installed (scripts/deps test installs xvfb)")
            return
        }
        let server = try Server(flags)
        defer { server.stop() }
        try server.waitReady()
        let tree = ProcessTree.descendants(of: server.process.processIdentifier)
        let browsers = tree.filter { $0.command.contains("chrom") }
        #expect(browsers.count >= 2, "chromedriver and chromium run under serve: \(tree)")
        if flags.contains("--xvfb") { #expect(tree.contains { $0.command == "Xvfb" }, "\(tree)") }

        kill(server.process.processIdentifier, SIGKILL)
        let gone = waitUntil(timeout: 10, every: 0.05) { !tree.contains(where: ProcessTree.isRunning) }
        let left = tree.filter(ProcessTree.isRunning)
        #expect(gone, "\(left.count) of \(tree.count) processes outlived serve by 10 s: \(left)")
        for member in left { kill(member.pid, SIGKILL) }  // do not leak them into later tests
    }
}

/// What the next start cleans up when a lifeline reader itself was killed.
@Suite struct StaleProcessTests {
    @Test func processesOfAGoneOwnerAreKilledAndOthersKept() throws {
        let directory = NSTemporaryDirectory() + "lens-stale-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var owner: pid_t = 4_000_000  // above the usual pid range: no such process
        while kill(owner, 0) == 0 { owner += 1 }
        func start(_ mark: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["60"]
            process.environment = ["LENS_GPT_TIED": mark]
            try process.run()
            return process
        }
        let stale = try start("\(owner):4242")
        let other = try start("\(owner):4343")  // another group: its pid file is not there
        defer { other.terminate() }
        try "\(owner)\n".write(toFile: directory + "/4242.pid", atomically: true, encoding: .utf8)
        // A pid file of this very process (a live owner) is left alone.
        try "\(getpid())\n".write(toFile: directory + "/4343.pid", atomically: true, encoding: .utf8)

        #expect(StaleProcesses.clean(pidDirectory: directory) == 1)
        waitUntil(timeout: 5, every: 0.02) { !stale.isRunning }  // waiting for the kill to land
        #expect(!stale.isRunning)
        #expect(other.isRunning)
        #expect(!FileManager.default.fileExists(atPath: directory + "/4242.pid"))
        #expect(FileManager.default.fileExists(atPath: directory + "/4343.pid"))
    }
}
