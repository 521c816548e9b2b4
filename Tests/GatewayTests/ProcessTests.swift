import Foundation
import Glibc
import Testing

/// The real `lens-gpt serve` binary in a child process: limits that only a whole process has.
@Suite(.serialized) struct ProcessTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/lens-gpt").path

    /// Starts the server under a shell `ulimit`, returns it with its port (read from its log).
    func start(descriptorLimit: Int, directory: String) throws -> (Process, Int, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" serve --host 127.0.0.1 --port 0 --loops 1 --data-dir \"$1\" --web-dir \"$1\"",
                             ProcessTests.binary, directory]
        // No chromedriver on PATH: this test is about the gateway's own descriptors, not the browser's.
        process.environment = ["PATH": "/nonexistent", "HOME": directory]
        let log = Pipe()
        process.standardError = log
        process.standardOutput = log
        try process.run()
        var text = ""
        let handle = log.fileHandleForReading
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !text.contains("listening on") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "http://127.0.0.1:"),
              let port = Int(text[range.upperBound...].prefix { $0.isNumber })
        else {
            process.terminate()
            throw TestClient.Failure(description: "server did not start: \(text)")
        }
        return (process, port, log)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ProcessTests.binary)))
    func survivesRunningOutOfDescriptorsAndStopsOnSIGTERM() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-emfile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (process, port, log) = try start(descriptorLimit: 48, directory: directory)
        defer { if process.isRunning { process.terminate() } }
        // More connections than the process has descriptors: the extra ones are accepted and
        // closed at once (EMFILE), not left to make the listener spin.
        var clients: [TestClient] = []
        for _ in 0..<80 { clients.append(try TestClient(port: port)) }
        var refused = 0
        for client in clients {
            try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            if (try? client.readResponse(timeout: 5))?.status != 200 { refused += 1 }
        }
        #expect(refused > 0)
        #expect(refused < 80)
        clients.removeAll()
        // Once descriptors are free again, it serves as before.
        var healthy = false
        for _ in 0..<100 where !healthy {
            let client = try TestClient(port: port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            healthy = (try? client.readResponse(timeout: 5))?.status == 200
        }
        #expect(healthy)
        // Graceful stop.
        kill(process.processIdentifier, SIGTERM)
        #expect(waitUntil(timeout: 15) { !process.isRunning })
        #expect(process.terminationStatus == 0, "server log: \(String(decoding: log.fileHandleForReading.availableData, as: UTF8.self).suffix(3000))")
    }
}
