import HTTP
import Outbound
import Testing

/// The page fetcher's limits and its SSRF guard, against loopback pages.
@Suite struct PageFetcherTests {
    static func fetcher(allowPrivate: Bool = true, timeoutMillis: Int = 10_000, proxy: String? = nil) -> PageFetcher {
        var policy = FetchPolicy()
        policy.allowPrivate = allowPrivate
        policy.timeoutMillis = timeoutMillis
        policy.proxy = proxy
        return PageFetcher(policy: policy)
    }

    @Test func fetchesALoopbackPageWhenPrivateIsAllowed() throws {
        let pages = try PageServer()
        let page = try Self.fetcher().fetch(pages.base + "/hop")
        #expect(page.status == 200)
        #expect(page.url == pages.base + "/page")
        #expect(page.contentType?.hasPrefix("text/plain") == true)
        #expect(String(decoding: page.body, as: UTF8.self).contains("A page"))
        #expect(!page.truncated)
    }

    @Test(arguments: [
        "http://127.0.0.1:PORT/page", "http://localhost:PORT/page", "http://LOCALHOST.:PORT/page", "http://2130706433:PORT/page",
        "http://0x7f.1:PORT/page", "http://0177.0.0.1:PORT/page", "http://127.1:PORT/page", "http://[::1]:PORT/page",
        "http://[::ffff:127.0.0.1]:PORT/page", "http://0.0.0.0:PORT/page", "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.5.4/", "http://100.64.0.1/", "http://[fe80::1]/",
        "http://[fd00::1]/", "http://224.0.0.1/", "http://255.255.255.255/",
    ])
    func refusesPrivateAddressesBeforeConnecting(url: String) throws {
        let pages = try PageServer()
        let target = url.replacingPort(with: pages.port)
        let error = #expect(throws: FetchError.self) { try Self.fetcher(allowPrivate: false, timeoutMillis: 2_000).fetch(target) }
        #expect(error?.code == "fetch_blocked")
        #expect(error?.retryable == false)
        #expect(pages.hits == 0)  // the local listener never saw a request
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x", "javascript:alert(1)",
                      "data:text/html,hi", "dict://127.0.0.1:11211/stat"])
    func refusesSchemesOtherThanHTTP(url: String) {
        let error = #expect(throws: FetchError.self) { try Self.fetcher(allowPrivate: true).fetch(url) }
        #expect(error?.code == "fetch_blocked")
    }

    @Test func theConnectTimeCheckRefusesWhatANameResolvesTo() throws {
        // Without the fetcher's literal check: only the check on the socket's address stands in the way.
        let pages = try PageServer()
        var request = HTTPClientRequest(url: pages.base + "/page", timeoutMillis: 2_000)
        request.addressPolicy = AddressPolicy(allowPrivate: false)
        let client = HTTPClient()
        let error = #expect(throws: HTTPClientError.self) { try client.send(request) }
        #expect(error?.kind == .blocked)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(pages.hits == 0)
        // The same client, allowed, reaches it; and a pooled connection does not let a guarded request skip the check.
        request.addressPolicy = nil
        #expect(try client.send(request).status == 200)
        request.addressPolicy = AddressPolicy(allowPrivate: false)
        #expect(throws: HTTPClientError.self) { try client.send(request) }
        #expect(pages.hits == 1)
    }

    @Test func refusesARedirectToAFileURL() throws {
        let pages = try PageServer()
        let error = #expect(throws: FetchError.self) { try Self.fetcher().fetch(pages.base + "/to-file") }
        #expect(error?.code == "fetch_blocked")
    }

    @Test func fetchesAnExampleHostThroughTheProxy() throws {
        let pages = try PageServer()
        let page = try Self.fetcher(allowPrivate: false, proxy: pages.base).fetch("http://shop.example/item")
        #expect(page.status == 200)
        #expect(page.url == "http://shop.example/item")
        #expect(String(decoding: page.body, as: UTF8.self).contains("via proxy"))
    }

    @Test(arguments: ["/to-loopback", "/to-metadata"])
    func refusesAProxiedRedirectToAPrivateAddress(path: String) throws {
        let pages = try PageServer()
        let error = #expect(throws: FetchError.self) {
            try Self.fetcher(allowPrivate: false, proxy: pages.base).fetch("http://shop.example" + path)
        }
        #expect(error?.code == "fetch_blocked")
        #expect(pages.hits == 1)  // the first hop only
    }

    @Test(arguments: ["/loop", "/ping"])
    func endsARedirectLoop(path: String) throws {
        let pages = try PageServer()
        let error = #expect(throws: FetchError.self) { try Self.fetcher().fetch(pages.base + path) }
        #expect(error?.code == "fetch_redirects")
        #expect(pages.hits <= 2)  // noticed at the first repeat
    }

    @Test func stopsAfterMaxRedirects() throws {
        let pages = try PageServer()
        var policy = FetchPolicy()
        policy.allowPrivate = true
        policy.maxRedirects = 0
        let error = #expect(throws: FetchError.self) { try PageFetcher(policy: policy).fetch(pages.base + "/hop") }
        #expect(error?.code == "fetch_redirects")
    }

    @Test func cutsAHugePageAtTheCap() throws {
        let pages = try PageServer()
        let page = try Self.fetcher().fetch(pages.base + "/big")
        #expect(page.truncated)
        #expect(page.body.count == FetchPolicy().maxBytes)
        #expect(page.body.count < PageServer.bigBytes)
        #expect(page.status == 200)
    }

    @Test func aPageThatNeverAnswersTimesOut() throws {
        let pages = try PageServer()
        let started = ContinuousClock.now
        let error = #expect(throws: FetchError.self) { try Self.fetcher(timeoutMillis: 400).fetch(pages.base + "/silent") }
        #expect(error?.code == "fetch_timeout")
        #expect(error?.retryable == true)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func anHTTPErrorIsAStatusError() throws {
        let pages = try PageServer()
        let error = #expect(throws: FetchError.self) { try Self.fetcher().fetch(pages.base + "/missing") }
        #expect(error?.code == "fetch_status")
        #expect(error?.message.contains("404") == true)
        #expect(error?.retryable == false)
    }
}

extension String {
    func replacingPort(with port: Int) -> String {
        guard let range = firstRange(of: "PORT") else { return self }
        return self[..<range.lowerBound] + String(port) + self[range.upperBound...]
    }
}
