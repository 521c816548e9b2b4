import Foundation
import Glibc
import TestSupport
import Testing

/// The real `lens-gpt serve` binary in a child process: limits that only a whole process has.
@Suite(.serialized) struct ProcessTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServeProcess.binary)))
    func survivesRunningOutOfDescriptorsAndStopsOnSIGTERM() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-emfile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServeProcess(directory: directory, descriptorLimit: 48)
        defer { server.kill() }
        let port = server.port
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
        kill(server.pid, SIGTERM)
        #expect(waitUntil(timeout: 15) { !server.process.isRunning })
        #expect(server.process.terminationStatus == 0, "server log: \(server.finalLog().suffix(3000))")
    }
}
