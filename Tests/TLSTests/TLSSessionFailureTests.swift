import COpenSSL
import TestSupport
import Testing
@testable import TLS

/// Bad input must end in a `TLSError` quickly: no hang, no crash, no error left behind on the
/// thread's OpenSSL queue for the next connection.
@Suite struct TLSSessionFailureTests {
    let dir: TemporaryDirectory
    let context: TLSContext

    init() throws {
        dir = try TemporaryDirectory()
        let files = try TestPKI.selfSigned(in: dir, name: "server", serial: 7)
        context = try TLSContext(configuration: TLSConfiguration(certificateChainPath: files.certificate,
                                                                 privateKeyPath: files.key))
    }

    private func feed(_ bytes: [UInt8], pieceSize: Int = .max) throws(TLSError) -> (TLSSession, TLSReadState) {
        let server = try TLSSession(context: context)
        var plaintext: [UInt8] = []
        let state = try InMemoryLink.deliver(bytes, to: server, pieceSize: pieceSize, plaintext: &plaintext)
        #expect(plaintext.isEmpty)
        return (server, state)
    }

    @Test func plainHTTPOnTheTLSPortIsNotTLS() throws {
        let error = #expect(throws: TLSError.self) { try feed(Array("GET / HTTP/1.1\r\n\r\n".utf8)) }
        #expect(error?.code == TLSError.Code.notTLS)
        #expect(error?.message.contains("plain HTTP") == true)
        #expect(ERR_peek_error() == 0)
    }

    @Test(arguments: ["POST /classify HTTP/1.1\r\n", "P", "HEAD / HTTP/1.0\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"])
    func anyPlainTextRequestIsNotTLS(_ text: String) throws {
        let error = #expect(throws: TLSError.self) { try feed(Array(text.utf8), pieceSize: 1) }
        #expect(error?.code == TLSError.Code.notTLS)
    }

    @Test func garbageIsNotTLS() throws {
        let garbage: [UInt8] = [0x00, 0xFF, 0x13, 0x37] + (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 97) }
        let error = #expect(throws: TLSError.self) { try feed(garbage) }
        #expect(error?.code == TLSError.Code.notTLS)
        #expect(error?.message.contains("0x0") == true)
    }

    @Test func garbageThatStartsLikeARecordFailsTheHandshake() throws {
        // Content type handshake, then nonsense: OpenSSL's turn to reject it.
        let garbage: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x20] + [UInt8](repeating: 0xAB, count: 32)
        let server = try TLSSession(context: context)
        server.receive(garbage)
        var plaintext: [UInt8] = []
        let error = #expect(throws: TLSError.self) { try server.readPlaintext(into: &plaintext) }
        #expect(error?.code == TLSError.Code.handshakeFailed)
        #expect(error?.message.contains("error:") == true, "OpenSSL's reason is in the message")
        #expect(server.hasCiphertext, "an alert is ready to send")
        #expect(ERR_peek_error() == 0)
        // The failure sticks.
        let again = #expect(throws: TLSError.self) { try server.readPlaintext(into: &plaintext) }
        #expect(again == error)
    }

    @Test func truncatedClientHelloWaitsThenFailsAtEndOfStream() throws {
        let clients = try TestClientContext()
        let client = try clients.makeSession()
        var ignored: [UInt8] = []
        _ = try client.readPlaintext(into: &ignored)
        var hello: [UInt8] = []
        client.takeCiphertext(into: &hello)
        #expect(hello.count > 100)

        let server = try TLSSession(context: context)
        var plaintext: [UInt8] = []
        server.receive(Array(hello.prefix(hello.count / 2)))
        // Not enough yet: nothing to do, no error, no output.
        #expect(try server.readPlaintext(into: &plaintext) == .open)
        #expect(try server.readPlaintext(into: &plaintext) == .open)
        #expect(!server.hasCiphertext && !server.isHandshakeComplete)

        server.receiveEndOfStream()
        let error = #expect(throws: TLSError.self) { try server.readPlaintext(into: &plaintext) }
        #expect(error?.code == TLSError.Code.truncated)
        #expect(ERR_peek_error() == 0)
    }

    @Test func connectionThatSendsNothingIsTruncatedAtEndOfStream() throws {
        let server = try TLSSession(context: context)
        var plaintext: [UInt8] = []
        #expect(try server.readPlaintext(into: &plaintext) == .open)
        server.receiveEndOfStream()
        let error = #expect(throws: TLSError.self) { try server.readPlaintext(into: &plaintext) }
        #expect(error?.code == TLSError.Code.truncated)
    }

    @Test func endOfStreamAfterDataWithoutCloseNotifyIsTruncated() throws {
        let clients = try TestClientContext()
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: context))
        try link.run()
        try link.client.write("GET / HTTP/1.1\r\n\r\n")
        try link.run()
        link.server.receiveEndOfStream()
        let error = #expect(throws: TLSError.self) { try link.server.readPlaintext(into: &link.serverReceived) }
        #expect(error?.code == TLSError.Code.truncated)
        #expect(String(decoding: link.serverReceived, as: UTF8.self) == "GET / HTTP/1.1\r\n\r\n")
    }

    @Test func endOfStreamAfterCloseNotifyIsAClose() throws {
        let clients = try TestClientContext()
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: context))
        try link.run()
        link.client.shutdown()
        var bytes: [UInt8] = []
        link.client.takeCiphertext(into: &bytes)
        link.server.receive(bytes)
        link.server.receiveEndOfStream()
        #expect(try link.server.readPlaintext(into: &link.serverReceived) == .closed)
    }

    @Test func renegotiationAttemptIsAConnectionError() throws {
        let clients = try TestClientContext(minVersion: TLS1_2_VERSION, maxVersion: TLS1_2_VERSION)
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: context))
        try link.run()
        #expect(link.server.protocolVersion == "TLSv1.2")

        #expect(SSL_renegotiate(link.client.ssl) == 1)
        // Writes the new ClientHello and waits for the server.
        #expect(SSL_do_handshake(link.client.ssl) <= 0)
        ERR_clear_error()
        var hello: [UInt8] = []
        link.client.takeCiphertext(into: &hello)
        #expect(!hello.isEmpty)
        link.server.receive(hello)
        let error = #expect(throws: TLSError.self) { try link.server.readPlaintext(into: &link.serverReceived) }
        #expect(error?.code == TLSError.Code.renegotiation)
        #expect(link.server.hasCiphertext, "the no_renegotiation alert is ready to send")
        #expect(ERR_peek_error() == 0)
    }

    @Test func oneConnectionsErrorDoesNotLeakIntoTheNext() throws {
        let failed = try TLSSession(context: context)
        failed.receive([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])
        var plaintext: [UInt8] = []
        #expect(throws: TLSError.self) { try failed.readPlaintext(into: &plaintext) }
        // Simulate a careless neighbour leaving an error on this thread's queue.
        #expect(BIO_new_file("/nonexistent/lens-gpt", "r") == nil)
        #expect(ERR_peek_error() != 0)

        let clients = try TestClientContext()
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: context))
        try link.run()
        #expect(link.server.isHandshakeComplete)
        #expect(ERR_peek_error() == 0)
    }

    @Test func alpnNamesAreValidated() throws {
        let configuration = TLSConfiguration(certificateChainPath: context.configuration.certificateChainPath,
                                             privateKeyPath: context.configuration.privateKeyPath,
                                             alpnProtocols: [""])
        let error = #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
        #expect(error?.code == TLSError.Code.configuration)
    }

    @Test(arguments: [TLS1_2_VERSION, TLS1_3_VERSION])
    func tamperedRecordIsAProtocolError(version: Int32) throws {
        let clients = try TestClientContext(minVersion: version, maxVersion: version)
        var link = InMemoryLink(client: try clients.makeSession(), server: try TLSSession(context: context))
        try link.run()
        try link.client.write("GET /secret HTTP/1.1\r\n\r\n")
        var record: [UInt8] = []
        link.client.takeCiphertext(into: &record)
        record[record.count - 1] ^= 0x01
        link.server.receive(record)
        let error = #expect(throws: TLSError.self) { try link.server.readPlaintext(into: &link.serverReceived) }
        #expect(error?.code == TLSError.Code.protocolError)
        #expect(error?.message.contains("bad record mac") == true, "\(String(describing: error))")
        #expect(link.serverReceived.isEmpty)
        #expect(link.server.hasCiphertext, "a bad_record_mac alert is ready to send")
        let write = #expect(throws: TLSError.self) { try link.server.write("no") }
        #expect(write?.code == TLSError.Code.closed)
    }
}
