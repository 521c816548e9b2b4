import Glibc
import HTTP
import Outbound
import Synchronization
import TestSupport
import Testing

/// The browser's guard proxy on its own (the real-browser test is `BrowserGuardTests`): plain
/// http and CONNECT, as libcurl sends them through a proxy.
@Suite struct BrowserGuardProxyTests {
    static func site() throws -> HTTPServer {
        return try HTTPServer.loopback { head, body, writer in
            let connection = head.headers.values("Connection").joined(separator: ",")
            writer.send(.text(.ok, "inner \(head.method) \(head.target) connection=\(connection) body=\(body.count)"))
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

    /// A stand-in for `--lens-proxy`: records each request line and Host header it is asked
    /// for and answers 200 (a CONNECT's "tunnel" is closed at once).
    final class UpstreamProxy: Sendable {
        final class Log: Sendable {
            let lines = Mutex<[String]>([])
        }
        let seen = Log()
        let server: HTTPServer

        init() throws {
            let seen = seen
            server = try HTTPServer.loopback { head, _, writer in
                seen.lines.withLock { $0.append("\(head.method) \(head.target) host=\(head.headers["Host"] ?? "-")") }
                writer.send(.text(.ok, "upstream"))
            }
        }
        var requests: [String] { seen.lines.withLock { $0 } }
    }

    /// Names as the test decides: `shop.test` is a public address, `intranet.test` loopback,
    /// `v6loop.test` IPv6 loopback, `mixed.test` public and loopback; others through getaddrinfo.
    static let names: @Sendable (String) -> [IPAddress]? = { host in
        switch host {
        case "shop.test": return IPAddress(literal: "93.184.216.34").map { [$0] }
        case "intranet.test": return IPAddress(literal: "127.0.0.1").map { [$0] }
        case "v6loop.test": return IPAddress(literal: "::1").map { [$0] }
        case "mixed.test": return [IPAddress(literal: "93.184.216.34"), IPAddress(literal: "10.0.0.7")].compactMap { $0 }
        default: return BrowserGuardConfiguration().resolve(host)
        }
    }

    static func guarded(by upstream: UpstreamProxy, allowPrivate: Bool = false) throws -> BrowserGuardProxy {
        var configuration = BrowserGuardConfiguration()
        configuration.addresses = AddressPolicy(allowPrivate: allowPrivate)
        configuration.upstreamProxy = "127.0.0.1:\(upstream.server.port)"
        configuration.upstreamOnlyDomains = ["example"]
        configuration.resolve = BrowserGuardProxyTests.names
        return try BrowserGuardProxy(configuration: configuration)
    }

    /// This machine's own name (in /etc/hosts it resolves to loopback or to an interface address).
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func withAnUpstreamProxyNamesOfThisMachineAreRefusedNotPassedOn() throws {
        let upstream = try UpstreamProxy()
        defer { upstream.server.shutdown() }
        let guardProxy = try BrowserGuardProxyTests.guarded(by: upstream)
        defer { guardProxy.shutdown() }
        let own = BrowserGuardProxyTests.hostName.lowercased()
        for host in ["localhost", "intranet.test", "v6loop.test", "mixed.test", own, "no-such-name.invalid"] {
            let response = try send("http://\(host):8080/admin", through: guardProxy)
            #expect(response.status == 403, "\(host): \(response.status) \(response.text)")
            // CONNECT (https, and how Chromium sends a WebSocket through a proxy): refused too.
            #expect(throws: HTTPClientError.self, "\(host)") { try send("https://\(host):8443/", through: guardProxy) }
        }
        #expect(upstream.requests.isEmpty, "the upstream proxy was asked for \(upstream.requests)")
        #expect(guardProxy.refusals.contains { $0.contains("intranet.test resolves to 127.0.0.1") }, "\(guardProxy.refusals)")
        #expect(guardProxy.refusals.contains { $0.contains("v6loop.test resolves to ::1") }, "\(guardProxy.refusals)")
        #expect(guardProxy.refusals.contains { $0.contains("mixed.test resolves to 10.0.0.7") }, "\(guardProxy.refusals)")
        // The machine's own name is refused for what it resolves to, not for failing to resolve.
        #expect(guardProxy.refusals.contains { $0.hasPrefix("\(own):8080: \(own) resolves to") || $0.contains("\(own) always names") },
                "\(guardProxy.refusals)")
    }

    @Test func withAnUpstreamProxyTheCheckedAddressIsWhatItIsAskedFor() throws {
        let upstream = try UpstreamProxy()
        defer { upstream.server.shutdown() }
        let guardProxy = try BrowserGuardProxyTests.guarded(by: upstream)
        defer { guardProxy.shutdown() }
        #expect(try send("http://93.184.216.34:8080/a?b=1", through: guardProxy).text == "upstream")
        #expect(try send("http://shop.test/item", through: guardProxy).text == "upstream")
        // A domain only the upstream proxy knows (the demo world's) goes by name.
        #expect(try send("http://maker.example/p", through: guardProxy).text == "upstream")
        // A tunnel: the upstream proxy is asked to CONNECT to the checked address (TLS then fails: no site behind it).
        _ = try? send("https://shop.test:8443/", through: guardProxy)
        #expect(upstream.requests == [
            "GET http://93.184.216.34:8080/a?b=1 host=93.184.216.34:8080",
            "GET http://93.184.216.34:80/item host=shop.test",
            "GET http://maker.example:80/p host=maker.example",
            "CONNECT 93.184.216.34:8443 host=shop.test:8443",
        ], "\(upstream.requests)")
        #expect(guardProxy.refusals.isEmpty, "\(guardProxy.refusals)")
    }

    @Test func withPrivateAddressesAllowedNamesGoToTheUpstreamProxyByName() throws {
        let upstream = try UpstreamProxy()
        defer { upstream.server.shutdown() }
        let guardProxy = try BrowserGuardProxyTests.guarded(by: upstream, allowPrivate: true)
        defer { guardProxy.shutdown() }
        #expect(try send("http://intranet.test:8080/x", through: guardProxy).text == "upstream")
        #expect(upstream.requests == ["GET http://intranet.test:8080/x host=intranet.test:8080"], "\(upstream.requests)")
    }
}
