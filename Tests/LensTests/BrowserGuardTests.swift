import Foundation
import HTTP
import JSON
import Outbound
import Pipeline
import Producers
import Synchronization
import TestSupport
import Testing

/// The address policy through the browser: a maker page the browser opens (the retail stage renders pages a plain fetch
/// could not read) must not reach this machine by a 302, a meta refresh or a script.
extension RealBrowser {
@Suite struct BrowserGuardTests {
    /// A loopback-only service holding a secret, as a product page (a name and a price, so the
    /// retail stage would report it if the browser ever read it), counting its visitors.
    final class Counter: Sendable {
        let value = Atomic(0)
    }

    final class SecretService: Sendable {
        let secret = "SECRET-" + UUID().uuidString
        let counter = Counter()
        var hits: Int { counter.value.load(ordering: .relaxed) }
        let server: HTTPServer

        init() throws {
            let secret = secret
            let counter = counter
            server = try HTTPServer.loopback { _, _, writer in
                counter.value.add(1, ordering: .relaxed)
                let page = """
                    <html><head><title>\(secret)</title><script type="application/ld+json">
                    {"@context":"https://schema.org","@type":"Product","name":"\(secret)",
                     "offers":{"@type":"Offer","price":"99.00","priceCurrency":"EUR"}}</script></head>
                    <body><h1>\(secret)</h1><p>Price: 99.00 EUR</p></body></html>
                    """
                writer.send(HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")]),
                                         body: Array(page.utf8)))
            }
        }
    }

    /// Maker pages that send the browser to `target`, served directly and as the forward proxy
    /// of `maker.example` (absolute-form requests), like the demo world.
    static func makerSite(redirectingTo target: String) throws -> HTTPServer {
        return try HTTPServer.loopback { head, _, writer in
            var path = head.target
            if path.hasPrefix("http://") {
                let rest = path.dropFirst(7)
                path = String(rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...])
            }
            func html(_ body: String) -> HTTPResponse {
                HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")]), body: Array(body.utf8))
            }
            switch path {
            case "/302":
                writer.send(HTTPResponse(status: HTTPStatus(302, "Found"), headers: HTTPHeaders([("Location", target), ("Content-Length", "0")])))
            case "/meta":
                writer.send(html("<html><head><meta http-equiv=\"refresh\" content=\"0;url=\(target)\"></head><body>Loading…</body></html>"))
            case "/script":
                let socketURL = "ws" + target.dropFirst(4)
                writer.send(html("""
                    <html><body>Loading…<img src="\(target)"><iframe src="\(target)"></iframe><script>
                    fetch("\(target)", {mode: "no-cors"}).catch(() => {});
                    try { new WebSocket("\(socketURL)"); } catch (e) {}
                    setTimeout(() => { location.href = "\(target)"; }, 10);
                    </script></body></html>
                    """))
            default:
                writer.send(.error(.notFound, code: "not_found", message: "no such page"))
            }
        }
    }

    /// A page source for a site that turns plain fetches away, so the stage asks the browser.
    struct RefusingPages: PageSource {
        func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) {
            throw StageError(code: "fetch_status", message: "\(url) answered HTTP 403", retryable: false)
        }
        func fetchPage(_ url: String, timeoutMillis: Int) throws -> (url: String, status: Int, body: [UInt8]) { try fetchPage(url) }
    }

    /// What the retail stage reports for `link` (its details or its error), as the uploader would see it.
    static func report(_ producer: RetailDetailsProducer, _ link: String) -> String {
        do {
            return try producer.details(for: MakerPage(link: link, title: "Maker", domain: "maker.example"), timeoutMillis: 15_000)
                .json.serialized()
        } catch {
            return "\(error.code): \(error.message)"
        }
    }

    /// `guarded` false: today's demo arrangement, `--proxy-server` alone (Chromium then goes to loopback directly).
    func pool(_ world: BrowserWorld, proxy: String, directory: String, guarded: Bool = true) -> (BrowserPool, ChromeDriverProcess) {
        let driver = ChromeDriverProcess(executable: world.driverPath, logPath: directory + "/chromedriver.log")
        var configuration = BrowserPoolConfiguration()
        configuration.size = 1
        configuration.waitMillis = 60_000
        let chromium = ChromeDriverProcess.find("chromium")
        configuration.capabilities = guarded ? BrowserPoolConfiguration.chromium(binary: chromium, proxy: proxy)
            : ShopBrowserArguments.adding("--proxy-server=\(proxy)", to: BrowserPoolConfiguration.chromium(binary: chromium))
        return (BrowserPool(configuration: configuration, endpoint: .local(driver, HTTPClient())), driver)
    }

    /// What the retail stage reports for each of `links`, its browser going through `proxy`.
    func reports(_ world: BrowserWorld, _ links: [String], proxy: String, directory: String, guarded: Bool = true) -> [String] {
        let (browsers, driver) = pool(world, proxy: proxy, directory: directory, guarded: guarded)
        defer { browsers.shutdown(); driver.stop() }
        let producer = RetailDetailsProducer(pages: RefusingPages(), renderer: BrowserPageRenderer(pool: browsers), chat: nil)
        return links.map { BrowserGuardTests.report(producer, $0) }
    }

    /// The maker site's three ways of sending the browser on, reached as `maker.example`.
    static let makerLinks = ["/302", "/meta", "/script"].map { "http://maker.example\($0)" }

    /// The control: without the guard the browser through `proxy` reaches the secret (what a
    /// review found), so the test can fail. Counts the secret's visits from zero again after.
    func expectReachedWithoutGuard(_ world: BrowserWorld, _ secret: SecretService, proxy: String, directory: String,
                                   sourceLocation: SourceLocation = #_sourceLocation)
    {
        let unguarded = reports(world, BrowserGuardTests.makerLinks, proxy: proxy, directory: directory, guarded: false)
        #expect(unguarded.contains { $0.contains(secret.secret) }, "\(unguarded)", sourceLocation: sourceLocation)
        #expect(secret.hits > 0, sourceLocation: sourceLocation)
        secret.counter.value.store(0, ordering: .relaxed)
    }

    /// The secret service and a fresh directory for the browser's files in the shared browser world.
    func start(_ name: String) throws -> (world: BrowserWorld, secret: SecretService, directory: String) {
        let world = try BrowserWorld.get()
        let directory = world.directory + "/\(name)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (world, try SecretService(), directory)
    }

    @Test func redirectsToALoopbackSecretStayUnreachedThroughTheGuard() throws {
        let (world, secret, directory) = try start("guard")
        defer { secret.server.shutdown() }
        let port = secret.server.port

        // The demo's arrangement: the site is reached through a forward proxy, and the browser
        // (without the guard) talks to loopback directly, so a redirect there reaches the secret.
        let viaProxy = try BrowserGuardTests.makerSite(redirectingTo: "http://127.0.0.1:\(port)/account")
        defer { viaProxy.shutdown() }
        let links = BrowserGuardTests.makerLinks
        expectReachedWithoutGuard(world, secret, proxy: "http://127.0.0.1:\(viaProxy.port)", directory: directory)

        var configuration = BrowserGuardConfiguration()
        configuration.upstreamProxy = "127.0.0.1:\(viaProxy.port)"
        configuration.upstreamOnlyDomains = ["example"]  // maker.example is known to the proxy only, as in the demo world
        let guardProxy = try BrowserGuardProxy(configuration: configuration)
        defer { guardProxy.shutdown() }
        // Directly: the maker site is a trusted origin, its redirect goes to a name that resolves to loopback.
        let direct = try BrowserGuardTests.makerSite(redirectingTo: "http://localhost:\(port)/account")
        defer { direct.shutdown() }
        var directConfiguration = BrowserGuardConfiguration()
        directConfiguration.trustedOrigins = ["127.0.0.1:\(direct.port)"]
        let directGuard = try BrowserGuardProxy(configuration: directConfiguration)
        defer { directGuard.shutdown() }

        for (proxy, pages) in [(guardProxy, links), (directGuard, ["/302", "/meta", "/script"].map { "http://127.0.0.1:\(direct.port)\($0)" })] {
            for report in reports(world, pages, proxy: proxy.url, directory: directory) { #expect(!report.contains(secret.secret), "\(report)") }
            #expect(proxy.refusals.contains { $0.contains(":\(port)") }, "the guard refused the redirects: \(proxy.refusals)")
        }
        // An ambiguous URL never reaches the browser: libcurl would read maker.example, Chromium 127.0.0.1.
        let ambiguous = reports(world, ["http://127.0.0.1:\(port)\\@maker.example/"], proxy: guardProxy.url, directory: directory)
        #expect(!ambiguous.contains { $0.contains(secret.secret) })

        #expect(secret.hits == 0, "the secret service was reached through the guard")
        let log = (try? String(contentsOfFile: directory + "/chromedriver.log", encoding: .utf8)) ?? ""
        #expect(!log.contains(secret.secret), "the secret is in chromedriver's log")
    }

    /// A forward proxy as a company runs one: its own DNS knows `intranet.test` (here: loopback)
    /// and sends `maker.example` to the maker site. It fetches what it is asked for, redirects
    /// not followed (the browser follows them); CONNECT is not offered.
    static func forwardingProxy(makerPort: Int) throws -> HTTPServer {
        return try HTTPServer.loopback { head, _, writer in
            guard head.method == "GET", head.target.hasPrefix("http://") else {
                return writer.send(.error(.forbidden, code: "forbidden", message: "not offered"))
            }
            let rest = head.target.dropFirst(7)
            let authority = rest.prefix { $0 != "/" }
            let path = rest.dropFirst(authority.count)
            let host = authority.split(separator: ":").first.map(String.init) ?? ""
            let port = authority.split(separator: ":").last.flatMap { Int($0) } ?? 80
            let address = host == "maker.example" ? "127.0.0.1:\(makerPort)" : host == "intranet.test" ? "127.0.0.1:\(port)" : String(authority)
            var request = HTTPClientRequest(url: "http://\(address)\(path.isEmpty ? "/" : path)", timeoutMillis: 5_000, followRedirects: false)
            request.proxy = ""
            guard let answer = try? HTTPClient().send(request) else {
                return writer.send(.error(HTTPStatus(502, "Bad Gateway"), code: "bad_gateway", message: "unreachable"))
            }
            let kept = answer.headers.filter { ["content-type", "location"].contains($0.0.lowercased()) }
            writer.send(HTTPResponse(status: HTTPStatus(answer.status, "Upstream"), headers: HTTPHeaders(kept), body: answer.body))
        }
    }

    @Test func aNameTheUpstreamProxyResolvesToLoopbackStaysUnreachedThroughTheGuard() throws {
        let (world, secret, directory) = try start("guard-names")
        defer { secret.server.shutdown() }
        let port = secret.server.port
        let maker = try BrowserGuardTests.makerSite(redirectingTo: "http://intranet.test:\(port)/account")
        defer { maker.shutdown() }
        let upstream = try BrowserGuardTests.forwardingProxy(makerPort: maker.port)
        defer { upstream.shutdown() }
        let links = BrowserGuardTests.makerLinks
        // Control: the browser straight through that proxy reaches the secret by its name.
        expectReachedWithoutGuard(world, secret, proxy: "http://127.0.0.1:\(upstream.port)", directory: directory)

        // The guard in front of it resolves `intranet.test` itself (to loopback, as the proxy would).
        var configuration = BrowserGuardConfiguration()
        configuration.upstreamProxy = "127.0.0.1:\(upstream.port)"
        configuration.upstreamOnlyDomains = ["example"]
        configuration.resolve = { host in
            host == "intranet.test" ? IPAddress(literal: "127.0.0.1").map { [$0] } : BrowserGuardConfiguration().resolve(host)
        }
        let guardProxy = try BrowserGuardProxy(configuration: configuration)
        defer { guardProxy.shutdown() }
        for report in reports(world, links, proxy: guardProxy.url, directory: directory) { #expect(!report.contains(secret.secret), "\(report)") }
        #expect(secret.hits == 0, "the secret service was reached through the guard")
        #expect(guardProxy.refusals.contains { $0.contains("intranet.test resolves to 127.0.0.1") }, "\(guardProxy.refusals)")
    }

    @Test func ambiguousURLsAreRefusedForBothParsers() {
        for url in ["http://127.0.0.1:80\\@example.com/", "http://user@example.com/", "http://example.com\\x/",
                    "http://exa mple.com/", "http:example.com/", "javascript:alert(1)", "http://[::1/"] {
            #expect(NavigationURL.refusal(url) != nil, "\(url)")
        }
        for url in ["http://example.com/", "https://www.example.com:8443/a?b=c#d", "http://[2001:db8::1]/"] {
            #expect(NavigationURL.refusal(url) == nil, "\(url)")
        }
    }
}
}

enum ShopBrowserArguments {
    static func adding(_ argument: String, to capabilities: JSONValue) -> JSONValue {
        guard var root = capabilities.objectValue, var options = root["goog:chromeOptions"]?.objectValue else { return capabilities }
        options["args"] = .array((options["args"]?.arrayValue ?? []) + [.string(argument)])
        root["goog:chromeOptions"] = .object(options)
        return .object(root)
    }
}
