import Foundation
import Gateway
import HTTP
import Testing

/// `GET http://host/healthz HTTP/1.1` on a real gateway (RFC 9112 §3.2.2): answered like
/// `GET /healthz`, with the URL's host standing in for `Host`; malformed ones get 400.
@Suite struct GatewayAbsoluteFormTests {
    @Test(arguments: Transport.allCases) func anAbsoluteFormTargetIsRoutedByItsPath(_ transport: Transport) throws {
        let server = try TestServer(transport: transport)
        defer { server.stop() }
        for target in ["http://t/healthz", "https://t/healthz", "HTTP://127.0.0.1:\(server.port)/healthz"] {
            let response = try server.request("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.status == 200, "\(target)")
            #expect(response.bodyText == "ok\n", "\(target)")
        }
        // The results route answers (its own 404 for an unknown id, not the static files' one).
        let results = try server.request("GET http://t/results/\(String(repeating: "0", count: 64))?lastEventId=0 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(results.status == 404)
        #expect(results.bodyText.contains("result_not_found"))
        let metrics = try server.request("GET http://t/metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(metrics.status == 200 && metrics.bodyText.contains("lens_gpt_"))
    }

    @Test func aMalformedTargetIsABadRequestAndTheServerKeepsServing() throws {
        let server = try TestServer()
        defer { server.stop() }
        for target in ["ftp://t/healthz", "http:///healthz", "http://user:pw@t/healthz", "healthz"] {
            let response = try server.request("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.status == 400, "\(target)")
            #expect(response.bodyText.contains("bad_request"), "\(target)")
        }
        #expect(try server.get("/healthz").status == 200)
    }

    /// The redirect to HTTPS names the URL's host, not the Host header (which the RFC says to ignore).
    @Test func theURLsHostReplacesHostInTheHTTPSRedirect() throws {
        let server = try TestServer(transport: .tls) { $0.plaintext = .redirect }
        defer { server.stop() }
        let plain = try TestClient(port: server.gateway.port)
        try plain.send("GET http://good.example:\(server.gateway.port)/results/abc?x=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        let response = try plain.readResponse()
        #expect(response.status == 308)
        #expect(response.header("Location") == "https://good.example:\(server.port)/results/abc?x=1")
    }
}
