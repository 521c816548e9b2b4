import Foundation
import Glibc

/// The real `lens-gpt serve` binary in a child process on a free loopback port, with no
/// chromedriver on its PATH. A test that measures the server (its memory, its signals, its
/// descriptor limit) needs it: the test process also runs every other suite at the same time.
package final class ServeProcess {
    /// The built `lens-gpt` (`lensGPTBinary`), or a path that is not there.
    package static let binary = lensGPTBinary ?? "/nonexistent/lens-gpt"
    package static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    package let process: Process
    package let port: Int
    /// Standard output and error together.
    private let log: Pipe
    private let output = Output()

    /// Starts `lens-gpt serve` with its data and web directories in `directory`, then `arguments`;
    /// under `ulimit -n descriptorLimit` when one is given. Waits until it listens.
    package init(directory: String, arguments: [String] = [], descriptorLimit: Int? = nil) throws {
        let serve = ["serve", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                     "--data-dir", directory, "--web-dir", directory] + arguments
        process = Process()
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$@\"", "sh", ServeProcess.binary] + serve
        } else {
            process.executableURL = URL(fileURLWithPath: ServeProcess.binary)
            process.arguments = serve
        }
        process.environment = ["PATH": "/nonexistent", "HOME": directory]
        log = Pipe()
        process.standardError = log
        process.standardOutput = log
        try process.run()
        // Its output is read all along: a server whose log pipe fills up blocks on its next line.
        let output = self.output
        let handle = log.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                output.append(chunk)
                if chunk.isEmpty { return }
            }
        }
        var port: Int?
        _ = waitUntil(timeout: 30) {
            let text = output.text
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            return port != nil || output.ended
        }
        guard let port else {
            Glibc.kill(process.processIdentifier, SIGKILL)
            throw TestFailure("server did not start: \(output.text)")
        }
        self.port = port
    }

    deinit { kill() }

    package var pid: Int32 { process.processIdentifier }

    /// SIGKILL if it still runs (a test's cleanup).
    package func kill() { if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) } }

    /// What it has printed so far.
    package var logSoFar: String { output.text }

    /// What it printed, to the end of its output once it has exited (waits up to 10 s for that).
    package func finalLog() -> String {
        _ = waitUntil(timeout: 10) { output.ended }
        return output.text
    }

    /// Its resident memory (VmRSS) in bytes, 0 once it has exited.
    package var residentBytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kib * 1024
    }
}

/// A child's output as it arrives, from its reading thread.
private final class Output: @unchecked Sendable {  // every field is behind `lock`
    private let lock = NSLock()
    private var bytes = Data()
    private var sawEnd = false

    func append(_ chunk: Data) {
        lock.withLock { if chunk.isEmpty { sawEnd = true } else { bytes.append(chunk) } }
    }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    var ended: Bool { lock.withLock { sawEnd } }
}
