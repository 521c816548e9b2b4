import COpenSSL
import Foundation
import TestSupport
import Testing
@testable import TLS

/// Real TLS clients (`openssl s_client`, `curl`) against `TLSSession` over a loopback socket.
@Suite struct RealClientInteropTests {
    static let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello, tls!\n"

    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func opensslSClient(versionFlag: String) throws {
        let dir = try TemporaryDirectory()
        let files = try DevCertificate().write(toDirectory: dir.path)
        let context = try TLSContext(configuration: TLSConfiguration(certificateChainPath: files.certificatePath,
                                                                     privateKeyPath: files.privateKeyPath))
        let server = try LoopbackTLSServer()
        let request = "GET /probe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        let client = try RunningProcess("openssl", [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost", versionFlag,
            "-alpn", "http/1.1", "-CAfile", files.certificatePath, "-verify_hostname", "localhost",
            "-verify_return_error", "-ign_eof", "-nocommands",
        ], stdin: Array(request.utf8))
        let exchange = try server.serve(context: context, response: Self.response, client: client)

        let expected = versionFlag == "-tls1_2" ? "TLSv1.2" : "TLSv1.3"
        #expect(exchange.error == nil)
        #expect(exchange.request == request)
        #expect(exchange.protocolVersion == expected)
        #expect(exchange.alpn == "http/1.1")
        let output = exchange.client.stdout
        #expect(exchange.client.status == 0, "\(exchange.client.stderr)")
        #expect(output.contains("New, \(expected), Cipher is"), "\(output)")
        #expect(output.contains("ALPN protocol: http/1.1"), "\(output)")
        #expect(output.contains("Verify return code: 0 (ok)"), "\(output)")
        #expect(output.contains("hello, tls!"), "\(output)")
    }

    @Test func opensslSClientWithOnlyH2IsRefused() throws {
        let dir = try TemporaryDirectory()
        let files = try DevCertificate().write(toDirectory: dir.path)
        let context = try TLSContext(configuration: TLSConfiguration(certificateChainPath: files.certificatePath,
                                                                     privateKeyPath: files.privateKeyPath))
        let server = try LoopbackTLSServer()
        let client = try RunningProcess("openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)",
                                                    "-alpn", "h2", "-ign_eof", "-nocommands"], stdin: [])
        let exchange = try server.serve(context: context, response: Self.response, client: client)
        #expect(exchange.error?.code == TLSError.Code.handshakeFailed)
        #expect(exchange.client.status != 0)
        #expect(exchange.client.stderr.contains("no application protocol"), "\(exchange.client.stderr)")
    }

    @Test(.enabled(if: ProcessRunner.which("curl") != nil, "SKIPPED: curl is not installed, so curl --cacert is not checked"),
          arguments: ["localhost", "127.0.0.1"])
    func curlTrustsTheDevCertificate(host: String) throws {
        let curl = try #require(ProcessRunner.which("curl"))
        let dir = try TemporaryDirectory()
        let files = try DevCertificate().write(toDirectory: dir.path)
        let context = try TLSContext(configuration: TLSConfiguration(certificateChainPath: files.certificatePath,
                                                                     privateKeyPath: files.privateKeyPath))
        let server = try LoopbackTLSServer()
        let client = try RunningProcess(curl, [
            "--silent", "--show-error", "--noproxy", "*", "--max-time", "20",
            "--cacert", files.certificatePath,
            "--resolve", "localhost:\(server.port):127.0.0.1",
            "--write-out", "\n%{http_code} %{http_version} %{ssl_verify_result}",
            "https://\(host):\(server.port)/hello",
        ], stdin: [])
        let exchange = try server.serve(context: context, response: Self.response, client: client)
        #expect(exchange.client.status == 0, "\(exchange.client.stderr)")
        #expect(exchange.client.stdout == "hello, tls!\n\n200 1.1 0", "\(exchange.client.stdout)")
        #expect(exchange.request.hasPrefix("GET /hello HTTP/1.1\r\n"))
        #expect(exchange.alpn == "http/1.1")
        #expect(exchange.protocolVersion == "TLSv1.3")
    }
}
