import Secrets

/// Fetches pages whose URLs come from page content, so every hop is checked: only http(s), and
/// (unless `allowPrivate`) never an address on this machine, its networks or a metadata service.
/// Redirects are followed here, not by libcurl, so each one passes the same checks.
public final class PageFetcher: Sendable {
    public let policy: FetchPolicy
    let http: HTTPClient

    public init(policy: FetchPolicy = FetchPolicy(), http: HTTPClient = HTTPClient()) {
        self.policy = policy
        self.http = http
    }

    public func fetch(_ url: String) throws(FetchError) -> FetchedPage {
        let deadline = ContinuousClock.now + .milliseconds(policy.timeoutMillis)
        let addresses = AddressPolicy(allowPrivate: policy.allowPrivate)
        var current = url
        var visited: Set<String> = []
        while true {
            try check(current, addresses)
            guard visited.insert(current).inserted else {
                throw .redirects("\(MessageURL.display(url)): redirect loop back to \(MessageURL.display(current))")
            }
            let left = (deadline - ContinuousClock.now).milliseconds
            guard left > 0 else { throw .timeout("\(MessageURL.display(url)): no page within \(policy.timeoutMillis) ms") }

            var request = HTTPClientRequest(url: current, headers: [
                ("User-Agent", policy.userAgent),
                ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                ("Accept-Language", "en-US,en;q=0.9"),
            ], timeoutMillis: left, maxResponseBytes: policy.maxBytes, followRedirects: false)
            request.truncatesLargeBodies = true
            // No proxy from the environment: the guard must see the address that is really connected to.
            request.proxy = policy.proxy ?? ""
            if policy.proxy == nil && !policy.allowPrivate { request.addressPolicy = addresses }

            let response: HTTPClientResponse
            do {
                response = try http.send(request)
            } catch {
                throw map(error, url: url)
            }
            if (300..<400).contains(response.status), let next = response.redirectURL, !next.isEmpty {
                guard visited.count <= policy.maxRedirects else {
                    throw .redirects("\(MessageURL.display(url)): more than \(policy.maxRedirects) redirects")
                }
                current = next
                continue
            }
            guard response.status < 400 else {
                let retryable = response.status == 408 || response.status == 429 || response.status >= 500
                throw FetchError(code: "fetch_status", message: "\(MessageURL.display(current)) answered HTTP \(response.status)", retryable: retryable)
            }
            return FetchedPage(url: current, status: response.status, contentType: response.header("Content-Type"),
                               body: response.body, truncated: response.truncated)
        }
    }

    /// The scheme, and a host that is refused whatever it resolves to (private address literals in
    /// any spelling, `localhost`). Hosts given by name are checked when connected (without a proxy).
    private func check(_ url: String, _ addresses: AddressPolicy) throws(FetchError) {
        // The scheme first: `javascript:` or `data:` has no host for a URL parser to find.
        let scheme = URLParts.scheme(of: url)
        guard scheme == "http" || scheme == "https" else {
            throw .blocked("\(MessageURL.display(url)): only http and https pages are fetched, not \(scheme ?? "a relative URL")")
        }
        // The same reading the browser gets (NavigationURL): URLs parsers disagree on are refused.
        if let refusal = NavigationURL.refusal(url) { throw .blocked(refusal) }
        guard let parts = URLParts(url), parts.scheme == scheme else {
            throw .failed("not a URL: \(MessageURL.display(url))", retryable: false)
        }
        guard !parts.host.isEmpty else { throw .failed("\(MessageURL.display(url)): no host", retryable: false) }
        if addresses.refusesHost(parts.host) {
            throw .blocked("\(MessageURL.display(url)): \(parts.host) is a private or local address")
        }
    }

    private func map(_ error: HTTPClientError, url: String) -> FetchError {
        switch error.kind {
        case .blocked: return .blocked(error.message)
        case .timeout: return .timeout("\(MessageURL.display(url)): no page within \(policy.timeoutMillis) ms")
        case .tooManyRedirects: return .redirects(error.message)
        case .connect, .transport: return .failed(error.message, retryable: true)
        case .invalidRequest, .tooLarge, .badResponse: return .failed(error.message, retryable: false)
        }
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
