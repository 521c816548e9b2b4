import JSON
import Outbound
import Pipeline
import Secrets

/// A hosted Lens API in SerpApi's request/response shape (SerpApi's `google_lens` engine, and
/// the vendors that copy it): `GET {endpoint}?engine=google_lens&url=…&hl=…&country=…&type=…
/// [&q=…]&api_key=…`, answered with `visual_matches`, `exact_matches` and `knowledge_graph`.
/// The API fetches the photo itself, from a signed URL (`PhotoLinks`).
public struct HostedLensConfiguration: Sendable {
    public var name = "serpapi"
    public var endpoint = "https://serpapi.com/search.json"
    public var apiKey: String
    /// `all`, `products`, `visual_matches` or `exact_matches`.
    public var type = "all"
    public var timeoutMillis = 20_000
    /// An HTTP proxy for this provider alone.
    public var proxy: String?
    public var maxMatches = 60

    public init(apiKey: String) { self.apiKey = apiKey }
}

public struct HostedLensSearch: VisualSearch {
    public let configuration: HostedLensConfiguration
    let links: any PhotoLinks
    let http: HTTPClient

    public init(configuration: HostedLensConfiguration, links: any PhotoLinks, http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.links = links
        self.http = http
    }

    public var name: String { configuration.name }
    public var timeoutMillis: Int { configuration.timeoutMillis }
    /// SerpApi takes `q` with the types that return visual matches.
    public var refinesWithText: Bool { ["all", "visual_matches", "products"].contains(configuration.type) }

    public func search(_ query: VisualQuery, timeoutMillis: Int) throws(VisualSearchFailure) -> VisualSearchResult {
        let photoURL = links.publish(query.image, format: query.format)
        defer { links.withdraw(query.image) }
        var request = HTTPClientRequest(url: requestURL(query, photoURL: photoURL), headers: [("Accept", "application/json")],
                                        timeoutMillis: timeoutMillis, maxResponseBytes: 8 << 20, followRedirects: true)
        request.proxy = configuration.proxy
        let response: HTTPClientResponse
        do {
            response = try http.send(request)
        } catch {
            throw transportFailure(error)
        }
        let body = try? JSONParser.parse(response.body)
        let apiError = body?["error"]?.stringValue
        switch response.status {
        case 200..<300: break
        case 401, 403:
            throw fail("lens_api_unauthorized", "the API refused the key (HTTP \(response.status)): \(apiError ?? "no reason given"); check SERPAPI_API_KEY", retryable: false)
        case 429:
            throw fail("lens_api_rate_limited", "the API's rate limit or plan quota is used up (HTTP 429): \(apiError ?? "")", retryable: true)
        default:
            throw fail("lens_api_failed", "HTTP \(response.status) from \(MessageURL.display(configuration.endpoint)): \(apiError ?? String(response.text.prefix(200)))", retryable: response.status >= 500)
        }
        guard let body else { throw fail("lens_api_failed", "the API's answer is not JSON", retryable: true) }
        if let apiError {
            // SerpApi answers 200 with this error when Lens found nothing.
            if apiError.lowercased().contains("hasn't returned any results") || apiError.lowercased().contains("no results") {
                throw fail("lens_api_no_matches", apiError, retryable: true)
            }
            throw fail("lens_api_failed", apiError, retryable: true)
        }
        return HostedLensSearch.parse(body, provider: name, maxMatches: configuration.maxMatches)
    }

    func requestURL(_ query: VisualQuery, photoURL: String) -> String {
        var parameters: [(String, String)] = [
            ("engine", "google_lens"), ("url", photoURL), ("hl", query.locale.language),
            ("country", query.locale.country.lowercased()), ("type", configuration.type),
        ]
        if let text = query.text, refinesWithText { parameters.append(("q", text)) }
        parameters.append(("api_key", configuration.apiKey))
        let separator = configuration.endpoint.contains("?") ? "&" : "?"
        return configuration.endpoint + separator + parameters.map { "\($0.0)=\(SearchProfile.encode($0.1))" }.joined(separator: "&")
    }

    private func fail(_ code: String, _ message: String, retryable: Bool) -> VisualSearchFailure {
        VisualSearchFailure(provider: name, code: code, message: message, retryable: retryable)
    }

    private func transportFailure(_ error: HTTPClientError) -> VisualSearchFailure {
        let host = HostedLensSearch.host(configuration.endpoint)
        switch error.kind {
        case .timeout:
            return fail("lens_api_timeout", "no answer from \(host) in time: \(error.message)", retryable: true)
        case .connect, .transport:
            let via = configuration.proxy.map { " through the proxy \(MessageURL.display($0))" } ?? ""
            return fail("network_unavailable", "cannot reach \(host)\(via): \(error.message). Check this machine's network and DNS, "
                + "or the provider's proxy setting", retryable: true)
        default:
            return fail("lens_api_failed", "\(host): \(error)", retryable: true)
        }
    }

    static func host(_ url: String) -> String {
        guard let start = url.range(of: "://") else { return url }
        return String(url[start.upperBound...].prefix { $0 != "/" && $0 != "?" })
    }

    /// The documented response shape into matches. Entries without a title or a usable link are skipped.
    static func parse(_ body: JSONValue, provider: String, maxMatches: Int) -> VisualSearchResult {
        func matches(_ key: String) -> [LensMatch] {
            var out: [LensMatch] = []
            for item in body[key]?.arrayValue ?? [] where out.count < maxMatches {
                guard let title = item["title"]?.stringValue, !title.isEmpty, let raw = item["link"]?.stringValue else { continue }
                let link = LensLinks.clean(raw)
                guard let domain = LensLinks.domain(link) else { continue }
                var match = LensMatch(title: title, link: link, domain: domain, source: item["source"]?.stringValue,
                                      thumbnail: item["thumbnail"]?.stringValue.flatMap { $0.hasPrefix("http") ? $0 : nil },
                                      position: item["position"]?.intValue ?? out.count + 1, provider: provider)
                if let price = item["price"], let parsed = HostedLensSearch.price(price) {
                    match.price = parsed.amount
                    match.currency = parsed.currency
                }
                out.append(match)
            }
            return out
        }
        let knowledge = (body["knowledge_graph"]?.arrayValue ?? []).compactMap { item -> KnowledgeEntry? in
            guard let title = item["title"]?.stringValue, !title.isEmpty else { return nil }
            return KnowledgeEntry(title: title, subtitle: item["subtitle"]?.stringValue, link: item["link"]?.stringValue, provider: provider)
        }
        return VisualSearchResult(matches: matches("visual_matches"), exactMatches: matches("exact_matches"), knowledge: knowledge)
    }

    /// `{"value": "$129.00*", "extracted_value": 129, "currency": "$"}` → ("129.00", "USD").
    static func price(_ price: JSONValue) -> (amount: String, currency: String)? {
        if let value = price["value"]?.stringValue, let parsed = PriceText.parse(value) { return parsed }
        guard let number = price["extracted_value"], let symbol = price["currency"]?.stringValue else { return nil }
        let text: String
        switch number {
        case .number(let digits): text = digits
        case .string(let digits): text = digits
        default: return nil
        }
        return PriceText.parse(symbol + text)
    }
}
