import Foundation
import Glibc
import TestSupport
import Testing
@testable import Gateway
import TLS

/// HTTPS-only behaviour: real clients, hostile handshakes, certificate reloads.
@Suite(.serialized) struct TLSGatewayTests {
    /// Runs a command with stdin; its combined output, or a failure after `timeout` seconds.
    func run(_ arguments: [String], input: String, timeout: Double = 20) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(waitUntil(timeout: timeout) { !process.isRunning })
        return String(decoding: output, as: UTF8.self)
    }

    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func opensslClientHandshakesWithALPN(_ version: String) throws {
        let server = try TestServer(transport: .tls)
        defer { server.stop() }
        let output = try run(["openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", version, "-alpn", "http/1.1",
                              "-servername", "localhost", "-CAfile", server.certificatePath, "-ign_eof"],
                             input: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        #expect(output.contains("Protocol  : " + (version == "-tls1_2" ? "TLSv1.2" : "TLSv1.3")) || output.contains("Protocol: " + (version == "-tls1_2" ? "TLSv1.2" : "TLSv1.3")))
        #expect(output.contains("ALPN protocol: http/1.1"))
        #expect(output.contains("Verify return code: 0 (ok)"))
        #expect(output.contains("HTTP/1.1 200 OK"))
    }

    @Test func curlStreamsTheSameFramesOverHTTPS() throws {
        let server = try TestServer(transport: .tls)
        defer { server.stop() }
        let image = TestImages.png(width: 20, height: 10)
        let path = server.directory + "/photo.png"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(image)))
        let output = try run(["curl", "-sN", "--cacert", server.certificatePath, "-F", "file=@\(path)",
                              "https://localhost:\(server.port)/classify"], input: "")
        let events = SSE.parse(output)
        #expect(events.map(\.event) == ["progress", "image-info", "progress", "done"])
        #expect(events[1].data.contains(#""width":20,"height":10"#))
    }

    @Test func silentConnectionsDoNotHoldUpOthersAndAreClosed() throws {
        let server = try TestServer(transport: .tls) { $0.http.tlsHandshakeTimeoutMillis = 1_000 }
        defer { server.stop() }
        var silent: [TestClient] = []
        for _ in 0..<200 { silent.append(try TestClient(port: server.port)) }  // TCP only, no handshake
        let upload = try server.classify(TestImages.png(width: 16, height: 16))
        #expect(upload.status == 200)
        #expect(SSE.parse(upload.bodyText).last?.event == "done")
        // Each silent connection is closed once the handshake time is up.
        for client in silent { #expect(try client.readToEnd(timeout: 10).isEmpty) }
        #expect(waitUntil { server.gateway.server.connections.current == 0 })
    }

    @Test func hostileHandshakesEndOnlyTheirOwnConnection() throws {
        let server = try TestServer(transport: .tls)
        defer { server.stop() }
        var random = SystemRandomNumberGenerator()
        let attempts: [[UInt8]] = [
            Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8),                               // plain HTTP on the TLS port
            (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) },               // garbage
            [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03],              // a ClientHello cut short
            [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00],                    // a malformed ClientHello
        ]
        for bytes in attempts {
            let client = try TestClient(port: server.port)
            try client.send(bytes)
            if bytes.count == 11 {
                continue  // disconnect mid-handshake: the client goes away here
            }
            _ = try client.readToEnd(timeout: 12)  // the server ends it (an alert at most, never a response)
            #expect(!client.contains("HTTP/1.1"))
        }
        let healthy = try server.get("/healthz")
        #expect(healthy.status == 200)
    }

    @Test func reloadSwapsCertificatesAndKeepsOpenStreams() throws {
        let gate = GateProducer()
        let server = try TestServer(transport: .tls, graph: TestGraphs.imageInfo(then: gate))
        defer { server.stop(); gate.open() }
        let image = TestImages.png(width: 8, height: 8)
        let stream = try server.client()
        try stream.send(Multipart.request(path: "/classify", fileBytes: image))
        try stream.read(until: { $0.contains("event: image-info") })

        let oldCertificate = try String(contentsOfFile: server.certificatePath, encoding: .utf8)
        let oldCopy = server.directory + "/old-cert.pem"
        try oldCertificate.write(toFile: oldCopy, atomically: true, encoding: .utf8)
        _ = try DevCertificate().write(toDirectory: server.directory + "/tls")  // a renewal, same paths
        let info = try #require(try server.certificates?.reload())
        #expect(info.subjectAlternativeNames.contains { $0.contains("localhost") })

        // New connections get the new certificate: trusting only the old one fails.
        #expect(throws: TestClient.Failure.self) { _ = try TestClient(port: server.port, trusting: oldCopy) }
        #expect(try server.get("/healthz").status == 200)

        // A bad file on reload is reported and the current certificate stays.
        try "not a certificate".write(toFile: server.certificatePath, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try server.certificates?.reload() }
        #expect(server.gateway.server.connections.current >= 1)

        // The stream opened before the reloads is still alive and finishes.
        gate.open()
        let response = try stream.readResponse()
        #expect(SSE.parse(response.bodyText).last?.event == "done")
    }

    @Test func plaintextPortCanRedirectToHTTPS() throws {
        let server = try TestServer(transport: .tls) { $0.plaintext = .redirect }
        defer { server.stop() }
        let plain = try TestClient(port: server.gateway.port)
        try plain.send("GET /results/abc?x=1 HTTP/1.1\r\nHost: localhost:\(server.gateway.port)\r\n\r\n")
        let response = try plain.readResponse()
        #expect(response.status == 308)
        #expect(response.header("Location") == "https://localhost:\(server.port)/results/abc?x=1")
        let health = try TestClient(port: server.gateway.port)
        try health.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try health.readResponse().status == 200)
    }
}
