import Foundation
import Glibc
import TLS
import TestSupport
import Testing

/// HTTPS as the command line wires it: the certificate is loaded by `serve` (the gateway only
/// gets a session per connection), reloaded on SIGHUP, and an unusable one stops the start.
@Suite(.serialized) struct HTTPSProcessTests {
    @Test(.enabled(if: ServeProcess.available))
    func serveAnswersOverHTTPSAndReloadsTheCertificateOnSIGHUP() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-https-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = try DevCertificate().write(toDirectory: directory + "/tls")
        let server = try ServeProcess(directory: directory, arguments: [
            "--tls-cert", paths.certificatePath, "--tls-key", paths.privateKeyPath, "--tls-port", "0"])
        defer { server.kill() }
        let tlsPort = try #require(waitForValue(timeout: 10) { () -> Int? in
            let log = server.logSoFar
            guard let range = log.range(of: "https://127.0.0.1:") else { return nil }
            return Int(log[range.upperBound...].prefix { $0.isNumber })
        }, "no HTTPS port in the log: \(server.logSoFar)")

        let first = try TestClient(port: tlsPort, trusting: paths.certificatePath)
        try first.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try first.readResponse(timeout: 10).status == 200)

        // A renewal at the same paths, then SIGHUP: new connections trust only the new file.
        let oldCopy = directory + "/old-cert.pem"
        try FileManager.default.copyItem(atPath: paths.certificatePath, toPath: oldCopy)
        _ = try DevCertificate().write(toDirectory: directory + "/tls")
        kill(server.pid, SIGHUP)
        #expect(waitUntil(timeout: 10) { server.logSoFar.contains("reloaded TLS certificate") }, "log: \(server.logSoFar)")
        #expect(throws: TestClient.Failure.self) { _ = try TestClient(port: tlsPort, trusting: oldCopy) }
        let renewed = try TestClient(port: tlsPort, trusting: paths.certificatePath)
        try renewed.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try renewed.readResponse(timeout: 10).status == 200)

        kill(server.pid, SIGTERM)
        #expect(waitUntil(timeout: 15) { !server.process.isRunning })
        #expect(server.process.terminationStatus == 0, "server log: \(server.finalLog().suffix(3000))")
    }

    @Test(.enabled(if: ServeProcess.available))
    func anUnusableCertificateStopsTheStartWithATLSError() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-https-bad-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "not a certificate".write(toFile: directory + "/cert.pem", atomically: true, encoding: .utf8)
        try "not a key".write(toFile: directory + "/key.pem", atomically: true, encoding: .utf8)
        do {
            let server = try ServeProcess(directory: directory, arguments: [
                "--tls-cert", directory + "/cert.pem", "--tls-key", directory + "/key.pem", "--tls-port", "0"])
            server.kill()
            Issue.record("serve started with an unusable certificate")
        } catch {
            #expect("\(error)".contains("cannot start: TLS:"), "\(error)")
        }
    }
}
