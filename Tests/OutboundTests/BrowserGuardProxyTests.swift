import HTTP
import Outbound
import Testing

/// The browser's guard proxy on its own (the real-browser test is `BrowserGuardTests`): plain
/// http and CONNECT, as libcurl sends them through a proxy.
@Suite struct BrowserGuardProxyTests {
    static func site() throws -> HTTPServer {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loopCount = 1
        return try HTTPServer(configuration: configuration) { _, _ in
            BufferedRequestHandler { head, body, writer in
                let connection = head.headers.values("Connection").joined(separator: ",")
                writer.send(.text(.ok, "inner \(head.method) \(head.target) connection=\(connection) body=\(body.count)"))
            }
        }
    }

    func send(_ url: String, through proxy: BrowserGuardProxy, method: String = "GET", body: [UInt8]? = nil) throws -> HTTPClientResponse {
        var request = HTTPClientRequest(method: method, url: url, body: body, timeoutMillis: 5_000)
        request.proxy = proxy.url
        return try HTTPClient().send(request)
    }

    @Test func loopbackIsRefusedByLiteralAndByName() throws {
        let site = try BrowserGuardProxyTests.site()
        defer { site.shutdown() }
        let guardProxy = try BrowserGuardProxy(configuration: BrowserGuardConfiguration())
        defer { guardProxy.shutdown() }
        for host in ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433"] {
            let response = try send("http://\(host):\(site.port)/secret", through: guardProxy)
            #expect(response.status == 403, "\(host)")
            #expect(!response.text.contains("inner"), "\(host)")
        }
        // CONNECT (https) to loopback: refused before any tunnel.
        #expect(throws: HTTPClientError.self) { try send("https://127.0.0.1:\(site.port)/", through: guardProxy) }
        #expect(guardProxy.refusals.count == 5, "\(guardProxy.refusals)")
    }

    @Test func aTrustedOriginIsForwardedOneRequestPerConnection() throws {
        let site = try BrowserGuardProxyTests.site()
        defer { site.shutdown() }
        var configuration = BrowserGuardConfiguration()
        configuration.trustedOrigins = ["127.0.0.1:\(site.port)"]
        let guardProxy = try BrowserGuardProxy(configuration: configuration)
        defer { guardProxy.shutdown() }
        let response = try send("http://127.0.0.1:\(site.port)/page?q=1", through: guardProxy)
        #expect(response.status == 200)
        #expect(response.text == "inner GET /page?q=1 connection=close body=0")
        let posted = try send("http://127.0.0.1:\(site.port)/report", through: guardProxy, method: "POST", body: Array("hello".utf8))
        #expect(posted.text == "inner POST /report connection=close body=5")
        // Another port on the same host is not the trusted origin.
        #expect(try send("http://127.0.0.1:\(site.port == 65_535 ? 1 : site.port + 1)/", through: guardProxy).status == 403)
    }

    @Test func privateAddressesPassWhenAllowed() throws {
        let site = try BrowserGuardProxyTests.site()
        defer { site.shutdown() }
        var configuration = BrowserGuardConfiguration()
        configuration.addresses = AddressPolicy(allowPrivate: true)
        let guardProxy = try BrowserGuardProxy(configuration: configuration)
        defer { guardProxy.shutdown() }
        #expect(try send("http://localhost:\(site.port)/x", through: guardProxy).status == 200)
    }
}
