import Foundation
import Glibc
import HTTP
import Outbound
import TestSupport
import Testing

/// Children lens-gpt starts (chromedriver and its shell, Xvfb) inherit none of its listening
/// sockets: otherwise, after the server stops, the port stays bound by the child, new
/// connections hang in its backlog and a restarted server cannot bind.
@Suite struct DescriptorInheritanceTests {
    /// Inodes of the sockets listening on `ports` (any address), from /proc/net/tcp and tcp6.
    static func listeningInodes(ports: Set<Int>) -> Set<String> {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, fields[3] == "0A",  // LISTEN
                      let portText = fields[1].split(separator: ":").last, let port = Int(portText, radix: 16), ports.contains(port)
                else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        return inodes
    }

    /// Inodes of the sockets process `pid` holds.
    static func socketInodes(of pid: pid_t) -> Set<String> {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(entries.compactMap { entry -> String? in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + entry),
                  target.hasPrefix("socket:[") else { return nil }
            return String(target.dropFirst(8).dropLast())
        })
    }

    static func server(port: Int) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.loopCount = 2  // one listening socket per loop, each a duplicate of the bound one
        return try HTTPServer(configuration: configuration) { _, _ in
            BufferedRequestHandler { _, _, writer in writer.send(.text(.ok, "up")) }
        }
    }

    @Test func aSpawnedChildHoldsNoListeningSocketAndTheServerRestartsOnItsPort() throws {
        let server = try DescriptorInheritanceTests.server(port: 0)
        let port = server.port
        let guardProxy = try BrowserGuardProxy(configuration: BrowserGuardConfiguration())
        defer { guardProxy.shutdown() }
        // Spawned as chromedriver is, while the server and the guard listen.
        let child = try TiedProcess.start(["/bin/sleep", "60"], logPath: nil, pidDirectory: nil)
        defer { child.stop(graceMillis: 0) }
        let listening = DescriptorInheritanceTests.listeningInodes(ports: [port, guardProxy.port])
        #expect(listening.count >= 2, "the test could not see the listening sockets")
        // The child's shell becomes the program (exec keeps what it inherited): wait for that.
        #expect(waitUntil(timeout: 10) {
            (try? String(contentsOfFile: "/proc/\(child.pid)/cmdline", encoding: .utf8))?.hasPrefix("/bin/sleep") == true
        })
        let held = DescriptorInheritanceTests.socketInodes(of: child.pid)
        #expect(held.isDisjoint(with: listening), "the child inherited listening sockets \(held.intersection(listening))")

        // Stopped while the child lives on: the port is free again at once.
        server.shutdown()
        let restarted = try DescriptorInheritanceTests.server(port: port)
        restarted.shutdown()
    }
}
