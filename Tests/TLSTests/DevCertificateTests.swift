import COpenSSL
import Foundation
import TestSupport
import Testing
@testable import TLS

@Suite struct DevCertificateTests {
    @Test func writesFilesThatLoadAndVerifyForLocalhost() throws {
        let dir = try TemporaryDirectory()
        let out = dir.file("nested/dev")
        let files = try DevCertificate().write(toDirectory: out)
        #expect(files.certificatePath.hasSuffix("/nested/dev/cert.pem"))
        #expect(files.privateKeyPath.hasSuffix("/nested/dev/key.pem"))

        let keyMode = try FileManager.default.attributesOfItem(atPath: files.privateKeyPath)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)

        let context = try TLSContext(configuration: TLSConfiguration(certificateChainPath: files.certificatePath,
                                                                     privateKeyPath: files.privateKeyPath))
        let names = context.certificate.subjectAlternativeNames
        #expect(names.contains("DNS:localhost"))
        #expect(names.contains("IP Address:127.0.0.1"))
        #expect(context.certificate.subject == "CN=localhost,O=lens-gpt development")

        // A client that trusts only this file verifies the server as localhost.
        let clients = try TestClientContext(trusting: files.certificatePath)
        var link = InMemoryLink(client: try clients.makeSession(verifyHost: "localhost"), server: try TLSSession(context: context))
        try link.run()
        #expect(SSL_get_verify_result(link.client.ssl) == Int(X509_V_OK))
        #expect(link.client.protocolVersion == "TLSv1.3")
    }

    @Test func opensslReadsTheExtensions() throws {
        let dir = try TemporaryDirectory()
        let files = try DevCertificate().write(toDirectory: dir.path)
        let text = try ProcessRunner.run("openssl", ["x509", "-in", files.certificatePath, "-noout", "-text"]).stdout
        #expect(text.contains("DNS:localhost"))
        #expect(text.contains("IP Address:127.0.0.1"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(text.contains("prime256v1") || text.contains("P-256"))
        // openssl itself verifies it as a trust anchor for a server named localhost.
        let verify = try ProcessRunner.run("openssl", ["verify", "-CAfile", files.certificatePath,
                                                       "-verify_hostname", "localhost", "-purpose", "sslserver",
                                                       files.certificatePath])
        #expect(verify.stdout.contains(": OK"))
    }

    @Test func rewritingTightensAnExistingKeyFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("key.pem", "old")
        chmod(dir.file("key.pem"), 0o644)
        let first = try DevCertificate()
        let second = try DevCertificate()
        #expect(first.certificatePEM != second.certificatePEM)
        let files = try second.write(toDirectory: dir.path)
        let keyMode = try FileManager.default.attributesOfItem(atPath: files.privateKeyPath)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        #expect(try dir.read("key.pem").hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }
}
