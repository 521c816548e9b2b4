import COpenSSL
import TestSupport
import Testing
@testable import TLS

@Suite struct TLSSessionHandshakeTests {
    struct Setup {
        let dir: TemporaryDirectory
        let context: TLSContext
        let certificate: String

        init(key: TestPKI.KeyType = .ecdsa) throws {
            dir = try TemporaryDirectory()
            let files = try TestPKI.selfSigned(in: dir, name: "server", serial: 4242, key: key)
            certificate = files.certificate
            context = try TLSContext(configuration: TLSConfiguration(
                certificateChainPath: files.certificate, privateKeyPath: files.key))
        }
    }

    static let versions: [(Int32, String)] = [(TLS1_2_VERSION, "TLSv1.2"), (TLS1_3_VERSION, "TLSv1.3")]

    @Test(arguments: [1, 7, 100_000])
    func handshakeAndDataBothWays(pieceSize: Int) throws {
        for (version, name) in Self.versions {
            let setup = try Setup()
            let clients = try TestClientContext(minVersion: version, maxVersion: version, trusting: setup.certificate)
            var link = InMemoryLink(client: try clients.makeSession(verifyHost: "localhost"),
                                    server: try TLSSession(context: setup.context), pieceSize: pieceSize)
            try link.run()

            #expect(link.server.isHandshakeComplete && link.client.isHandshakeComplete)
            #expect(link.server.protocolVersion == name)
            #expect(link.client.protocolVersion == name)
            #expect(link.server.negotiatedALPN == "http/1.1")
            #expect(link.client.negotiatedALPN == "http/1.1")
            #expect(SSL_get_verify_result(link.client.ssl) == Int(X509_V_OK))
            #expect(link.serverReceived.isEmpty && link.clientReceived.isEmpty)

            let request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
            try link.client.write(request)
            try link.run()
            #expect(String(decoding: link.serverReceived, as: UTF8.self) == request)

            // Several records' worth, so a record boundary falls inside a read.
            let body = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try link.server.writePlaintext(body)
            try link.run()
            #expect(link.clientReceived == body)

            link.server.shutdown()
            try link.run()
            #expect(link.clientState == .closed)
            link.client.shutdown()
            try link.run()
            #expect(link.serverState == .closed)
            #expect(try link.server.readPlaintext(into: &link.serverReceived) == .closed)
        }
    }

    @Test func rsaCertificateServes() throws {
        let setup = try Setup(key: .rsa)
        let clients = try TestClientContext(trusting: setup.certificate)
        var link = InMemoryLink(client: try clients.makeSession(verifyHost: "localhost"),
                                server: try TLSSession(context: setup.context))
        try link.run()
        #expect(link.server.protocolVersion == "TLSv1.3")
        #expect(SSL_get_verify_result(link.client.ssl) == Int(X509_V_OK))
    }

    @Test func clientWithoutALPNIsServedWithoutIt() throws {
        let setup = try Setup()
        let clients = try TestClientContext(alpn: nil)
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
        try link.run()
        #expect(link.server.isHandshakeComplete)
        #expect(link.server.negotiatedALPN == nil)
    }

    @Test func alpnPrefersHTTP1AmongOffers() throws {
        let setup = try Setup()
        let clients = try TestClientContext(alpn: ["h2", "http/1.1"])
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
        try link.run()
        #expect(link.server.negotiatedALPN == "http/1.1")
    }

    @Test func clientOfferingOnlyH2GetsAFatalAlert() throws {
        let setup = try Setup()
        let clients = try TestClientContext(alpn: ["h2"])
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
        let error = #expect(throws: TLSError.self) { try link.run() }
        #expect(error?.code == TLSError.Code.handshakeFailed)
        #expect(error?.message.contains("no application protocol") == true)
        // The alert is there for the caller to send; the client then fails too.
        #expect(link.server.hasCiphertext)
        var alert: [UInt8] = []
        link.server.takeCiphertext(into: &alert)
        link.client.receive(alert)
        var ignored: [UInt8] = []
        let clientError = #expect(throws: TLSError.self) { try link.client.readPlaintext(into: &ignored) }
        #expect(clientError?.message.contains("no application protocol") == true, "\(String(describing: clientError))")
    }

    @Test func sessionTicketsResume() throws {
        for (version, _) in Self.versions {
            let setup = try Setup()
            let clients = try TestClientContext(minVersion: version, maxVersion: version)
            var first = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
            try first.run()
            #expect(!first.server.isSessionReused)
            guard let ticket = SSL_get1_session(first.client.ssl) else {
                Issue.record("no session after the first handshake")
                continue
            }
            defer { SSL_SESSION_free(ticket) }
            var second = InMemoryLink(client: try clients.makeSession(session: ticket),
                                      server: try TLSSession(context: setup.context))
            try second.run()
            #expect(second.server.isSessionReused, "TLS version \(version)")
        }
    }

    @Test func writeBeforeHandshakeIsRefusedAndAfterShutdownToo() throws {
        let setup = try Setup()
        let server = try TLSSession(context: setup.context)
        #expect(server.protocolVersion == nil)
        let early = #expect(throws: TLSError.self) { try server.write("too early") }
        #expect(early?.code == TLSError.Code.notReady)

        let clients = try TestClientContext()
        var link = InMemoryLink(client: try clients.makeSession(), server: server)
        try link.run()
        server.shutdown()
        server.shutdown()
        let late = #expect(throws: TLSError.self) { try server.write("too late") }
        #expect(late?.code == TLSError.Code.closed)
    }

    @Test func peerWritingAfterOurShutdownStillReads() throws {
        // HTTP half-close: we queued close_notify; the peer's data in flight is still delivered.
        let setup = try Setup()
        let clients = try TestClientContext()
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
        try link.run()
        try link.client.write("late words")
        link.server.shutdown()
        try link.run()
        #expect(String(decoding: link.serverReceived, as: UTF8.self) == "late words")
        #expect(link.clientState == .closed)
    }

    @Test func tls11ClientIsRefused() throws {
        let setup = try Setup()
        let clients = try TestClientContext(minVersion: TLS1_1_VERSION, maxVersion: TLS1_1_VERSION)
        // Let the client offer TLS 1.1 at all (OpenSSL 3 refuses to by default).
        SSL_CTX_set_security_level(clients.handle, 0)
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
        let error = #expect(throws: TLSError.self) { try link.run() }
        #expect(error?.code == TLSError.Code.handshakeFailed)
        #expect(error?.message.contains("unsupported protocol") == true, "\(String(describing: error))")
        #expect(!link.server.isHandshakeComplete)
    }

    @Test func tls13KeyUpdateFromTheClientIsAnswered() throws {
        let setup = try Setup()
        let clients = try TestClientContext(minVersion: TLS1_3_VERSION)
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: setup.context))
        try link.run()
        #expect(SSL_key_update(link.client.ssl, SSL_KEY_UPDATE_REQUESTED) == 1)
        try link.client.write("after key update")
        try link.run()
        #expect(String(decoding: link.serverReceived, as: UTF8.self) == "after key update")
        // The server answered with its own KeyUpdate and its records still decrypt.
        try link.server.write("answer")
        try link.run()
        #expect(String(decoding: link.clientReceived, as: UTF8.self) == "answer")

        // A KeyUpdate still queued does not stop close_notify (SSL_shutdown refuses "in init").
        #expect(SSL_key_update(link.server.ssl, SSL_KEY_UPDATE_NOT_REQUESTED) == 1)
        #expect(link.server.isHandshakeComplete)
        link.server.shutdown()
        try link.run()
        #expect(link.clientState == .closed)
    }
}
