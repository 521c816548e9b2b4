import COpenSSL
import Foundation
import TestSupport
import Testing
@testable import TLS

@Suite struct TLSCertificateStoreTests {
    /// The serial number the client saw after a handshake with a session from `server`.
    private func servedSerial(_ server: TLSSession) throws -> String? {
        let clients = try TestClientContext()
        var link = InMemoryLink(client: try clients.makeSession(), server: server)
        try link.run()
        return link.client.peerCertificate?.serialNumber
    }

    private func copy(_ source: String, to destination: String) throws {
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    @Test func reloadSwapsForNewSessionsOnlyAndKeepsTheOldOnBadFiles() throws {
        let dir = try TemporaryDirectory()
        let first = try TestPKI.selfSigned(in: dir, name: "first", serial: 0x1111)
        let second = try TestPKI.selfSigned(in: dir, name: "second", serial: 0x2222)
        let configuration = TLSConfiguration(certificateChainPath: dir.file("cert.pem"), privateKeyPath: dir.file("key.pem"))
        try copy(first.certificate, to: configuration.certificateChainPath)
        try copy(first.key, to: configuration.privateKeyPath)

        let store = try TLSCertificateStore(configuration: configuration)
        #expect(store.current.certificate.serialNumber == "1111")
        #expect(store.current.certificate.subject == "CN=first")
        let openedBeforeReload = try store.makeSession()

        try copy(second.certificate, to: configuration.certificateChainPath)
        try copy(second.key, to: configuration.privateKeyPath)
        let served = try store.reload()
        #expect(served.serialNumber == "2222")
        #expect(try servedSerial(try store.makeSession()) == "2222")
        // A connection accepted before the reload keeps its context, even for its handshake.
        #expect(try servedSerial(openedBeforeReload) == "1111")

        try dir.write("cert.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
        let error = #expect(throws: TLSError.self) { try store.reload() }
        #expect(error?.code == TLSError.Code.certificate)
        #expect(error?.message.contains(configuration.certificateChainPath) == true)
        #expect(store.current.certificate.serialNumber == "2222")
        #expect(try servedSerial(try store.makeSession()) == "2222")

        // Half-renewed: new certificate, old key.
        try copy(first.certificate, to: configuration.certificateChainPath)
        let mismatch = #expect(throws: TLSError.self) { try store.reload() }
        #expect(mismatch?.code == TLSError.Code.keyMismatch)
        #expect(store.current.certificate.serialNumber == "2222")
    }

    @Test func keyThatDoesNotMatchTheCertificateIsNamed() throws {
        let dir = try TemporaryDirectory()
        let first = try TestPKI.selfSigned(in: dir, name: "first", serial: 1)
        let other = try TestPKI.selfSigned(in: dir, name: "other", serial: 2, key: .rsa)
        for key in [try TestPKI.selfSigned(in: dir, name: "sameType", serial: 3).key, other.key] {
            let configuration = TLSConfiguration(certificateChainPath: first.certificate, privateKeyPath: key)
            let error = #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
            #expect(error?.code == TLSError.Code.keyMismatch)
            #expect(error?.message.contains("private key \(key) does not match certificate \(first.certificate)") == true,
                    "\(String(describing: error))")
        }
    }

    @Test func unusableFilesSayWhichAndWhy() throws {
        let dir = try TemporaryDirectory()
        let good = try TestPKI.selfSigned(in: dir, name: "good", serial: 1)
        try dir.write("empty.pem", "")
        try dir.write("text.pem", "hello\n")
        try ProcessRunner.run("openssl", ["pkey", "-in", good.key, "-aes256", "-passout", "pass:secret",
                                          "-out", dir.file("encrypted.key.pem")])
        let cases: [(String, String, String, String)] = [
            (dir.file("missing.pem"), good.key, TLSError.Code.certificate, "No such file"),
            (dir.file("empty.pem"), good.key, TLSError.Code.certificate, "is empty"),
            (dir.file("text.pem"), good.key, TLSError.Code.certificate, "no PEM certificate"),
            (good.certificate, dir.file("missing.pem"), TLSError.Code.privateKey, "No such file"),
            (good.certificate, good.certificate, TLSError.Code.privateKey, "no usable PEM private key"),
            (good.certificate, dir.file("encrypted.key.pem"), TLSError.Code.privateKey, "no usable PEM private key"),
        ]
        for (certificate, key, code, reason) in cases {
            let configuration = TLSConfiguration(certificateChainPath: certificate, privateKeyPath: key)
            let error = #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
            #expect(error?.code == code, "\(String(describing: error))")
            #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
            let named = code == TLSError.Code.certificate ? certificate : key
            #expect(error?.message.contains(named) == true, "\(String(describing: error))")
        }
        #expect(ERR_peek_error() == 0)
    }

    @Test func intermediatesAreSentSoClientsTrustingOnlyTheRootVerify() throws {
        let dir = try TemporaryDirectory()
        let pki = try TestPKI.chain(in: dir)
        let context = try TLSContext(configuration: TLSConfiguration(certificateChainPath: pki.chain, privateKeyPath: pki.key))
        #expect(context.certificate.subject == "CN=localhost")
        let clients = try TestClientContext(trusting: pki.root)
        var link = InMemoryLink(client: try clients.makeSession(verifyHost: "localhost"), server: try TLSSession(context: context))
        try link.run()
        #expect(SSL_get_verify_result(link.client.ssl) == Int(X509_V_OK))
        #expect(link.client.isHandshakeComplete)
    }
}
