import Glibc
import HTTP
import JSON
import Outbound
import Synchronization
import SystemSupport

/// What the eBay API replica was asked, so tests can check the request's shape.
public struct EbayAPIRequest: Sendable, Equatable {
    /// `token`, `search` or `search_by_image`.
    public var call: String
    public var marketplace: String?
    public var q: String?
    public var gtin: String?
    public var limit: String?
    /// The bearer token a search carried.
    public var token: String?
    /// The status answered.
    public var status: Int
}

/// eBay's Browse API on loopback, in its published shapes (`serve --demo --demo-apis` and the
/// tests): the client-credentials token endpoint with expiring tokens, `item_summary/search`
/// (`q` or `gtin`) and `item_summary/search_by_image` answering with the demo catalog's eBay
/// listings as `ItemSummary` objects, eBay's `errors` array for failures, and a 429 with
/// `Retry-After` on demand.
public final class EbayAPIReplica: Sendable {
    /// Under the demo world's address: the base URL is `world.baseURL + prefix`.
    public static let prefix = "/ebay-api"
    /// The keyset the replica accepts (`EBAY_CLIENT_ID`, `EBAY_CLIENT_SECRET` in demo mode).
    public static let clientID = "demo-ebay-client-id"
    public static let clientSecret = "demo-ebay-client-secret"

    /// Seconds a new token lives (`expires_in`).
    public let tokenLifetimeSeconds = Atomic(7_200)
    /// While above 0, every API call answers 429 with this `Retry-After`.
    public let rateLimitSeconds = Atomic(0)
    /// While on, every search answers 401 whatever token it carries (a keyset without Browse API access).
    public let refusesEveryToken = Atomic(false)
    private let tokens = Mutex<[String: Int]>([:])  // token → expiry, monotonic ms
    private let issued = Atomic(0)
    private let log = Mutex<[EbayAPIRequest]>([])

    init() {}

    /// Every request so far, oldest first.
    public var requests: [EbayAPIRequest] { log.withLock { $0 } }
    /// Tokens handed out so far.
    public var tokensIssued: Int { issued.load(ordering: .relaxed) }

    /// Makes every token issued so far invalid (as eBay does when it revokes them): the next call with one answers 401.
    public func revokeTokens() { tokens.withLock { $0.removeAll() } }

    /// The answer to a request under `prefix`, nil for another path.
    func response(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse? {
        guard head.path.hasPrefix(EbayAPIReplica.prefix) else { return nil }
        let path = String(head.path.dropFirst(EbayAPIReplica.prefix.count))
        let query = Escape.form(head.query)
        func param(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        var request = EbayAPIRequest(call: "", marketplace: head.headers.values("X-EBAY-C-MARKETPLACE-ID").first,
                                     q: param("q"), gtin: param("gtin"), limit: param("limit"), status: 200)
        let answer: HTTPResponse
        switch (head.method, path) {
        case ("POST", "/identity/v1/oauth2/token"):
            request.call = "token"
            answer = token(head, body: body)
        case ("GET", "/buy/browse/v1/item_summary/search"):
            request.call = "search"
            request.token = bearer(head)
            answer = authorized(head) ?? search(head, query: param("q"), gtin: param("gtin"), limit: param("limit"))
        case ("POST", "/buy/browse/v1/item_summary/search_by_image"):
            request.call = "search_by_image"
            request.token = bearer(head)
            answer = authorized(head) ?? searchByImage(head, body: body, limit: param("limit"))
        default:
            request.call = path
            answer = EbayAPIReplica.errors(HTTPStatus(404, "Not Found"), id: 2002, domain: "API_BROWSE", category: "REQUEST",
                                           message: "Resource not found.")
        }
        request.status = answer.status.code
        let logged = request
        log.withLock { $0.append(logged) }
        return answer
    }

    // MARK: - OAuth

    private func token(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse {
        if let limited = rateLimited() { return limited }
        let expected = "Basic " + Base64.encode(Array("\(EbayAPIReplica.clientID):\(EbayAPIReplica.clientSecret)".utf8))
        guard head.headers.values("Authorization").first == expected else {
            return .json(HTTPStatus(401, "Unauthorized"), ["error": "invalid_client", "error_description": "client authentication failed"])
        }
        let form = Escape.form(String(decoding: body, as: UTF8.self))
        func field(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
        guard head.headers.values("Content-Type").first?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
              field("grant_type") == "client_credentials" else {
            return .json(.badRequest, ["error": "unsupported_grant_type", "error_description": "grant type in request is not supported by the authorization server"])
        }
        guard let scope = field("scope"), scope.split(separator: " ").contains("https://api.ebay.com/oauth/api_scope") else {
            return .json(.badRequest, ["error": "invalid_scope", "error_description": "The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client"])
        }
        let number = issued.add(1, ordering: .relaxed).newValue
        var random = ""
        for _ in 0..<8 { random += String(UInt8.random(in: 0...255), radix: 16) }
        let value = "v^1.1#i^1#demo\(number)#\(random)"
        let lifetime = tokenLifetimeSeconds.load(ordering: .relaxed)
        tokens.withLock { $0[value] = EbayAPIReplica.millis() + lifetime * 1_000 }
        return .json(.ok, ["access_token": .string(value), "expires_in": .int(lifetime), "token_type": "Application Access Token"])
    }

    private func bearer(_ head: HTTPRequestHead) -> String? {
        guard let header = head.headers.values("Authorization").first, header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst("Bearer ".count))
    }

    /// nil when the call may go ahead; else its 401, 429 or 400 answer.
    private func authorized(_ head: HTTPRequestHead) -> HTTPResponse? {
        let now = EbayAPIReplica.millis()
        guard let token = bearer(head), let expiry = tokens.withLock({ $0[token] }), now < expiry,
              !refusesEveryToken.load(ordering: .relaxed) else {
            return EbayAPIReplica.errors(HTTPStatus(401, "Unauthorized"), id: 1001, domain: "OAuth", category: "REQUEST",
                                         message: "Invalid access token",
                                         long: "Invalid access token. Check the value of the Authorization HTTP request header.")
        }
        if let limited = rateLimited() { return limited }
        if let marketplace = head.headers.values("X-EBAY-C-MARKETPLACE-ID").first, !marketplace.hasPrefix("EBAY_") {
            return EbayAPIReplica.errors(.badRequest, id: 12002, domain: "API_BROWSE", category: "REQUEST",
                                         message: "The marketplace value \(marketplace) is not supported.")
        }
        return nil
    }

    private func rateLimited() -> HTTPResponse? {
        let wait = rateLimitSeconds.load(ordering: .relaxed)
        guard wait > 0 else { return nil }
        var response = EbayAPIReplica.errors(HTTPStatus(429, "Too Many Requests"), id: 2001, domain: "ACCESS", category: "REQUEST",
                                             message: "Too many requests. The request limit has been reached for the resource.")
        response.headers.add("Retry-After", String(wait))
        return response
    }

    // MARK: - Searches

    private func search(_ head: HTTPRequestHead, query: String?, gtin: String?, limit: String?) -> HTTPResponse {
        guard (query ?? "").isEmpty == false || (gtin ?? "").isEmpty == false else {
            return EbayAPIReplica.errors(.badRequest, id: 12001, domain: "API_BROWSE", category: "REQUEST",
                                         message: "The call must have a valid 'q', 'category_ids', 'epid', 'gtin', or 'charity_ids' query parameter.")
        }
        guard let count = EbayAPIReplica.limit(limit) else { return EbayAPIReplica.badLimit() }
        // A GTIN finds the product whose maker page states it; keywords the one they name best.
        let entry = ShopSites.product(for: gtin ?? "") ?? (query.flatMap { ShopSites.product(for: $0) })
        return page(head, entry?.listings.filter(\.inSearch) ?? [], limit: count)
    }

    private func searchByImage(_ head: HTTPRequestHead, body: [UInt8], limit: String?) -> HTTPResponse {
        guard let count = EbayAPIReplica.limit(limit) else { return EbayAPIReplica.badLimit() }
        guard let request = try? JSONParser.parse(body), let text = request["image"]?.stringValue, let photo = Base64.decode(text),
              !photo.isEmpty else {
            return EbayAPIReplica.errors(.badRequest, id: 12500, domain: "API_BROWSE", category: "REQUEST",
                                         message: "The image is missing or is not a valid Base64 string.")
        }
        // The sample photos are the catalog's products; any other photo finds nothing.
        let product = LensCatalog.products.first { $0.photo == photo }
        let entry = product.flatMap { ShopCatalog.entry($0.id) }
        return page(head, entry?.listings.filter(\.inSearch) ?? [], limit: count)
    }

    /// A `SearchPagedCollection`; `itemSummaries` is left out when nothing was found, as eBay does.
    private func page(_ head: HTTPRequestHead, _ listings: [ListingSpec], limit: Int) -> HTTPResponse {
        let shown = listings.prefix(limit)
        var object: JSONObject = [
            "href": .string("https://api.ebay.com/buy/browse/v1/item_summary/search?" + (head.query.map(String.init) ?? "")),
            "total": .int(listings.count), "limit": .int(limit), "offset": 0,
        ]
        if !shown.isEmpty { object["itemSummaries"] = .array(shown.map(EbayAPIReplica.itemSummary)) }
        return .json(.ok, .object(object))
    }

    /// A catalog listing as eBay's `ItemSummary`.
    static func itemSummary(_ listing: ListingSpec) -> JSONValue {
        let (id, text): (String, String) = switch listing.condition {
        case "new": ("1000", "New")
        case "like_new": ("1500", listing.wear)
        case "very_good": ("4000", "Very Good")
        case "good": ("5000", "Good")
        case "acceptable": ("6000", "Acceptable")
        case "for_parts": ("7000", "For parts or not working")
        default: ("3000", "Used")
        }
        return [
            "itemId": .string("v1|\(listing.itemID)|0"), "legacyItemId": .string(listing.itemID), "title": .string(listing.title),
            "itemWebUrl": .string(listing.url), "itemHref": .string("https://api.ebay.com/buy/browse/v1/item/v1%7C\(listing.itemID)%7C0"),
            "price": ["value": .string(listing.price), "currency": .string(listing.currency)],
            "shippingOptions": [["shippingCostType": "FIXED", "shippingCost": ["value": "0.00", "currency": .string(listing.currency)]]],
            "condition": .string(text), "conditionId": .string(id),
            "image": ["imageUrl": .string(listing.thumbnail)], "thumbnailImages": [["imageUrl": .string(listing.thumbnail)]],
            "buyingOptions": ["FIXED_PRICE"], "itemLocation": ["country": "US"],
        ]
    }

    static func limit(_ text: String?) -> Int? {
        guard let text else { return 50 }
        guard let value = Int(text), (1...200).contains(value) else { return nil }
        return value
    }

    static func badLimit() -> HTTPResponse {
        errors(.badRequest, id: 12003, domain: "API_BROWSE", category: "REQUEST", message: "The 'limit' value must be between 1 and 200.")
    }

    /// eBay's error container: `{"errors": [{"errorId", "domain", "category", "message", "longMessage"}]}`.
    static func errors(_ status: HTTPStatus, id: Int, domain: String, category: String, message: String, long: String? = nil) -> HTTPResponse {
        var error: JSONObject = ["errorId": .int(id), "domain": .string(domain), "category": .string(category), "message": .string(message)]
        if let long { error["longMessage"] = .string(long) }
        return .json(status, ["errors": [.object(error)]])
    }

    static func millis() -> Int { Int(MonotonicClock.nowMillis()) }
}
