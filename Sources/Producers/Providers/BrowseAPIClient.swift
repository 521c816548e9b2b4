import Glibc
import JSON
import Outbound
import Pipeline
import Secrets
import Synchronization

/// A Browse API over the project's libcurl client: one application token per client object,
/// shared by every caller (the offers stage, the search by image, every country), fetched once,
/// renewed shortly before it expires and once when a call answers 401. Callers that find the
/// token stale while another is renewing it wait for that renewal instead of fetching their own.
public final class BrowseAPIClient: Sendable {
    public let configuration: BrowseAPIConfiguration
    let http: HTTPClient
    /// Monotonic milliseconds (tests move it to expire a token).
    let now: @Sendable () -> Int

    private struct Token {
        var value: String
        /// When it is to be renewed, on `now`'s scale.
        var renewAt: Int
    }
    private let token = Mutex<Token?>(nil)
    /// Held by the one caller fetching a token; the count of tokens fetched.
    private let renewal = Mutex<Int>(0)

    /// `now`: monotonic milliseconds; nil for the system's monotonic clock.
    public init(configuration: BrowseAPIConfiguration, http: HTTPClient = HTTPClient(), now: (@Sendable () -> Int)? = nil) {
        self.configuration = configuration
        self.http = http
        self.now = now ?? { Clock.millis() }
    }

    /// Tokens fetched so far.
    public var tokensFetched: Int { renewal.withLock { $0 } }

    // MARK: - Calls

    /// `GET {search_path}` (`/buy/browse/v1/item_summary/search`) with `q` or `gtin` (or both) in `marketplace`.
    public func search(query: String?, gtin: String? = nil, marketplace: String, limit: Int? = nil,
                       timeoutMillis: Int? = nil) throws(BrowseAPIError) -> BrowseSearchPage {
        var parameters: [(String, String)] = []
        if let query, !query.isEmpty { parameters.append(("q", query)) }
        if let gtin, !gtin.isEmpty { parameters.append(("gtin", gtin)) }
        parameters.append(("limit", String(max(1, min(200, limit ?? configuration.limit)))))
        let url = base + api.searchPath + "?" + BrowseAPIClient.query(parameters)
        let body = try call(timeoutMillis: timeoutMillis) { bearer in
            HTTPClientRequest(url: url, headers: self.headers(bearer, marketplace: marketplace))
        }
        return BrowseSearchPage(body)
    }

    /// `POST {image_search_path}` (`…/item_summary/search_by_image`) with the photo as base64.
    public func searchByImage(_ photo: [UInt8], marketplace: String, limit: Int? = nil,
                              timeoutMillis: Int? = nil) throws(BrowseAPIError) -> BrowseSearchPage {
        let url = base + api.imageSearchPath + "?limit=\(max(1, min(200, limit ?? configuration.limit)))"
        let payload = JSONValue.object(["image": .string(Base64.encode(photo))]).serializedBytes()
        let body = try call(timeoutMillis: timeoutMillis) { bearer in
            HTTPClientRequest(method: "POST", url: url,
                              headers: self.headers(bearer, marketplace: marketplace) + [("Content-Type", "application/json")],
                              body: payload)
        }
        return BrowseSearchPage(body)
    }

    private var api: MarketplaceAPIDescription { configuration.description }

    private var base: String {
        var trimmed = configuration.baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    private func headers(_ bearer: String, marketplace: String) -> [(String, String)] {
        [("Authorization", "Bearer " + bearer), (api.marketplaceHeader, marketplace), ("Accept", "application/json")]
    }

    /// One call with the shared token; a 401 renews the token once and repeats the call.
    private func call(timeoutMillis: Int?, _ request: (String) -> HTTPClientRequest) throws(BrowseAPIError) -> JSONValue {
        let deadline = now() + (timeoutMillis ?? configuration.timeoutMillis)
        var bearer = try accessToken(replacing: nil, deadline: deadline)
        var response = try send(request(bearer), deadline: deadline)
        if response.status == 401 {
            bearer = try accessToken(replacing: bearer, deadline: deadline)
            response = try send(request(bearer), deadline: deadline)
        }
        return try body(of: response)
    }

    // MARK: - The application token

    /// A valid token: the cached one unless it is `stale` or due for renewal; else one caller
    /// fetches a new one while the others wait for it.
    func accessToken(replacing stale: String?, deadline: Int) throws(BrowseAPIError) -> String {
        if let current = usable(besides: stale) { return current }
        return try renewal.withLock { (fetched: inout Int) throws(BrowseAPIError) -> String in
            // Someone else may have renewed it while this caller waited.
            if let current = usable(besides: stale) { return current }
            let fresh = try fetchToken(deadline: deadline)
            fetched += 1
            // The token only travels in headers; scrubbed all the same while it is good.
            SecretScrubber.shared.register(fresh.value)
            let old = token.withLock { current in
                defer { current = fresh }
                return current?.value
            }
            if let old, old != fresh.value { SecretScrubber.shared.unregister(old) }
            return fresh.value
        }
    }

    private func usable(besides stale: String?) -> String? {
        let time = now()
        return token.withLock { current in
            guard let current, current.value != stale, time < current.renewAt else { return nil }
            return current.value
        }
    }

    /// `POST {token_path}` (`/identity/v1/oauth2/token`), client-credentials grant, the keyset in HTTP Basic.
    private func fetchToken(deadline: Int) throws(BrowseAPIError) -> Token {
        let credentials = Base64.encode(Array("\(configuration.clientID):\(configuration.clientSecret)".utf8))
        let form = "grant_type=client_credentials&scope=" + BrowseAPIClient.encode(api.scope)
        let request = HTTPClientRequest(method: "POST", url: base + api.tokenPath,
                                        headers: [("Authorization", "Basic " + credentials),
                                                  ("Content-Type", "application/x-www-form-urlencoded"),
                                                  ("Accept", "application/json")],
                                        body: Array(form.utf8))
        let started = now()
        let response = try send(request, deadline: deadline)
        let body = try? JSONParser.parse(response.body)
        guard (200..<300).contains(response.status) else {
            let reason = [body?["error"]?.stringValue, body?["error_description"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            switch response.status {
            case 400, 401, 403:
                throw BrowseAPIError(code: "api_unauthorized",
                                   message: "\(api.owner) refused the application keyset (HTTP \(response.status)\(reason.isEmpty ? "" : ": " + reason)); "
                                       + "check \(api.credentials) (a production keyset)", retryable: false)
            case 429:
                throw rateLimited(response, what: "the token endpoint")
            default:
                throw BrowseAPIError(code: "api_failed", message: "\(api.owner)'s token endpoint answered HTTP \(response.status)\(reason.isEmpty ? "" : ": " + reason)",
                                   retryable: response.status >= 500)
            }
        }
        guard let value = body?["access_token"]?.stringValue, !value.isEmpty else {
            throw BrowseAPIError(code: "api_failed", message: "\(api.owner)'s token endpoint answered without an access_token", retryable: true)
        }
        let lifetime = max(1, body?["expires_in"]?.intValue ?? body?["expires_in"]?.stringValue.flatMap { Int($0) } ?? 7_200)
        // Renewed `refreshEarlySeconds` before expiry; a very short lifetime is used for half its length.
        let usableSeconds = max(lifetime - configuration.refreshEarlySeconds, lifetime / 2)
        return Token(value: value, renewAt: started + usableSeconds * 1_000)
    }

    // MARK: - Transport and errors

    private func send(_ request: HTTPClientRequest, deadline: Int) throws(BrowseAPIError) -> HTTPClientResponse {
        let left = deadline - now()
        guard left > 0 else {
            throw BrowseAPIError(code: "api_failed", message: "no time left for \(api.owner)'s API (\(MessageURL.display(request.url)))", retryable: true)
        }
        var limited = request
        limited.timeoutMillis = left
        limited.maxResponseBytes = 8 << 20
        limited.followRedirects = false
        do {
            return try http.send(limited)
        } catch {
            throw transportFailure(error, request: limited)
        }
    }

    /// A transport error without the URL's query (which may name the product) in its message.
    func transportFailure(_ error: HTTPClientError, request: HTTPClientRequest) -> BrowseAPIError {
        let target = "\(request.method) \(request.url)"
        var reason = error.message.hasPrefix(target) ? String(error.message.dropFirst(target.count)) : error.kind.rawValue
        while reason.hasPrefix(":") || reason.hasPrefix(" ") { reason.removeFirst() }
        let place = MessageURL.display(request.url)
        switch error.kind {
        case .connect, .transport:
            return BrowseAPIError(code: "network_unavailable", message: "cannot reach \(place): \(reason). Check this machine's network and DNS, "
                + "or \(api.environment("url"))", retryable: true)
        case .timeout:
            return BrowseAPIError(code: "api_failed", message: "no answer from \(place) in time", retryable: true)
        default:
            return BrowseAPIError(code: "api_failed", message: "\(place): \(error.kind.rawValue): \(reason)", retryable: true)
        }
    }

    /// The body of a successful answer, or the error the API's `errors` array describes.
    func body(of response: HTTPClientResponse) throws(BrowseAPIError) -> JSONValue {
        let parsed = try? JSONParser.parse(response.body)
        let place = MessageURL.display(response.url)
        switch response.status {
        case 200..<300:
            guard let parsed else {
                throw BrowseAPIError(code: "api_failed", message: "\(place) answered with a body that is not JSON", retryable: true)
            }
            return parsed
        case 429:
            throw rateLimited(response, what: place)
        case 401, 403:
            throw BrowseAPIError(code: "api_unauthorized", message: "\(place) refused the application token (HTTP \(response.status))"
                + (parsed.flatMap(BrowseAPIClient.errorText).map { ": " + $0 } ?? "") + "; the keyset may lack access to this API", retryable: false)
        default:
            throw BrowseAPIError(code: "api_failed", message: "\(place) answered HTTP \(response.status)"
                + (parsed.flatMap(BrowseAPIClient.errorText).map { ": " + $0 } ?? ""), retryable: response.status >= 500)
        }
    }

    func rateLimited(_ response: HTTPClientResponse, what: String) -> BrowseAPIError {
        let wait = response.header("Retry-After").flatMap { RetryAfter.seconds($0, now: Int(time(nil))) }
        let parsed = try? JSONParser.parse(response.body)
        return BrowseAPIError(code: "api_rate_limited",
                            message: "\(api.owner)'s call limit is used up (HTTP 429 from \(what))" + (parsed.flatMap(BrowseAPIClient.errorText).map { ": " + $0 } ?? "")
                                + (wait.map { "; retry after \($0) s" } ?? ""),
                            retryable: true, retryAfterSeconds: wait)
    }

    /// `{"errors": [{"errorId", "domain", "category", "message", "longMessage"}]}` → "1001 Invalid access token".
    static func errorText(_ body: JSONValue) -> String? {
        guard let errors = body["errors"]?.arrayValue, !errors.isEmpty else { return nil }
        return errors.prefix(3).map { error in
            let id = error["errorId"].map { value -> String in
                if case .number(let digits) = value { return digits + " " }
                return value.stringValue.map { $0 + " " } ?? ""
            } ?? ""
            return id + (error["message"]?.stringValue ?? "no message")
        }.joined(separator: "; ")
    }

    /// `name=value&…`, percent-encoded (a space is %20).
    static func query(_ parameters: [(String, String)]) -> String {
        parameters.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String { WebAPICall.encode(text) }

    // MARK: - Marketplaces

    /// The API's marketplace ID for a country (ISO 3166 alpha-2), nil where it has none: the
    /// `api_site_ids` of the marketplace file its description names (`site_profile`, in `Resources/profiles`).
    public func marketplace(forCountry country: String) -> String? {
        BrowseAPIClient.marketplace(forCountry: country, api: api)
    }

    public static func marketplace(forCountry country: String, api: MarketplaceAPIDescription = MarketplaceAPIs.browse) -> String? {
        let code = country.uppercased() == "UK" ? "GB" : country.uppercased()
        return MarketplaceCatalog.named(api.siteProfile)?.apiSiteIDs[code]
    }
}
