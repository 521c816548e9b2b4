import HTTP
import JSON

/// Replicas of the web-search APIs on one loopback server, in their published shapes, with the
/// demo web's results (the same the DuckDuckGo replica shows):
/// - Brave Search API: `GET /res/v1/web/search?q=&count=` with `X-Subscription-Token` →
///   `{"type": "search", "query": {…}, "web": {"type": "search", "results": [{title, url, description}]}}`
///   (`web` absent when nothing); errors `{"type": "ErrorResponse", "error": {"code", "detail", "status"}}`;
/// - Google Programmable Search: `GET /customsearch/v1?key=&cx=&q=&num=` →
///   `{"kind": "customsearch#search", "items": [{title, link, displayLink, snippet}], "searchInformation"}`
///   (`items` absent when nothing); errors `{"error": {"code", "message", "errors": [...], "status"}}`.
public final class WebSearchAPIReplicas: Sendable {
    public static let brave = "brave-api"
    public static let googleCSE = "google-cse"
    /// The keys the replicas accept (`BRAVE_SEARCH_API_KEY`, `GOOGLE_CSE_API_KEY`, `GOOGLE_CSE_ID` in demo mode).
    public static let braveKey = "demo-brave-key"
    public static let googleKey = "demo-google-key"
    public static let googleEngineID = "demo-cse-id"

    public let replicas: APIReplicaServer

    public init(host: String = "127.0.0.1", port: Int = 0) throws {
        replicas = try APIReplicaServer(host: host, port: port, route: WebSearchAPIReplicas.route) { request, mode in
            request.provider == WebSearchAPIReplicas.brave ? WebSearchAPIReplicas.braveAnswer(request, mode)
                : WebSearchAPIReplicas.googleAnswer(request, mode)
        }
    }

    /// The base URL of both (`--brave-api-url`, `--google-cse-url`).
    public var baseURL: String { replicas.baseURL }
    public func setMode(_ mode: APIReplicaMode, for provider: String) { replicas.setMode(mode, for: provider) }
    public var requests: [APIReplicaRequest] { replicas.requests }
    public func shutdown() { replicas.shutdown() }

    static func route(_ path: Substring) -> String? {
        switch path {
        case "/res/v1/web/search": brave
        case "/customsearch/v1": googleCSE
        default: nil
        }
    }

    static func braveError(_ status: HTTPStatus, code: String, detail: String, headers: [(String, String)] = []) -> HTTPResponse {
        APIReplicaServer.json(status, ["type": "ErrorResponse",
                                       "error": ["id": "demo", "status": .int(status.code), "code": .string(code), "detail": .string(detail)]],
                              headers: headers)
    }

    static func braveAnswer(_ request: APIReplicaRequest, _ mode: APIReplicaMode) -> HTTPResponse {
        if mode == .unauthorized || request.headers["X-Subscription-Token"] != braveKey {
            return braveError(APIReplicaServer.unauthorized, code: "SUBSCRIPTION_TOKEN_INVALID", detail: "The provided subscription token is invalid.")
        }
        if mode == .rateLimited {
            return braveError(APIReplicaServer.tooManyRequests, code: "RATE_LIMITED", detail: "Request rate limit exceeded for plan.",
                              headers: [("X-RateLimit-Limit", "1, 2000"), ("X-RateLimit-Remaining", "0, 0"), ("X-RateLimit-Reset", "1, 1419704")])
        }
        guard let q = request.parameter("q"), !q.isEmpty else {
            return braveError(HTTPStatus(422, "Unprocessable Entity"), code: "VALIDATION", detail: "Unable to validate request parameter(s)")
        }
        let count = min(20, max(1, Int(request.parameter("count") ?? "") ?? 20))
        var body: JSONObject = ["type": "search", "query": ["original": .string(q), "more_results_available": false]]
        let results = ShopSites.webResults(q).prefix(count)
        if !results.isEmpty {
            body["web"] = ["type": "search", "family_friendly": true, "results": .array(results.map {
                ["title": .string($0.title), "url": .string($0.url), "is_source_local": false, "description": .string($0.snippet),
                 "type": "search_result", "language": "en"]
            })]
        }
        return APIReplicaServer.json(.ok, .object(body), headers: [("X-RateLimit-Limit", "1, 2000"), ("X-RateLimit-Remaining", "0, 1999"),
                                                                   ("X-RateLimit-Reset", "1, 1419704")])
    }

    /// `detail`: the `google.rpc.ErrorInfo` reason Google adds (`API_KEY_INVALID` for a bad key).
    static func googleError(_ code: Int, _ message: String, reason: String, status: String, detail: String? = nil) -> HTTPResponse {
        var error: JSONObject = [
            "code": .int(code), "message": .string(message),
            "errors": [["message": .string(message), "domain": "global", "reason": .string(reason)]], "status": .string(status),
        ]
        if let detail {
            error["details"] = [["@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": .string(detail), "domain": "googleapis.com",
                                 "metadata": ["service": "customsearch.googleapis.com"]]]
        }
        return APIReplicaServer.json(HTTPStatus(code, status), ["error": .object(error)])
    }

    static func googleAnswer(_ request: APIReplicaRequest, _ mode: APIReplicaMode) -> HTTPResponse {
        if mode == .unauthorized || request.parameter("key") != googleKey {
            return googleError(400, "API key not valid. Please pass a valid API key.", reason: "badRequest", status: "INVALID_ARGUMENT",
                               detail: "API_KEY_INVALID")
        }
        if mode == .rateLimited {
            return googleError(429, "Quota exceeded for quota metric 'Queries' and limit 'Queries per day'.", reason: "rateLimitExceeded",
                               status: "RESOURCE_EXHAUSTED")
        }
        guard request.parameter("cx") == googleEngineID else {
            return googleError(400, "Request contains an invalid argument.", reason: "badRequest", status: "INVALID_ARGUMENT")
        }
        let q = request.parameter("q") ?? ""
        let num = min(10, max(1, Int(request.parameter("num") ?? "") ?? 10))
        let results = ShopSites.webResults(q).prefix(num)
        var body: JSONObject = [
            "kind": "customsearch#search",
            "queries": ["request": [["searchTerms": .string(q), "count": .int(results.count), "startIndex": 1]]],
            "searchInformation": ["searchTime": 0.1, "formattedSearchTime": "0.10", "totalResults": .string(String(results.count)),
                                  "formattedTotalResults": .string(String(results.count))],
        ]
        if !results.isEmpty {
            body["items"] = .array(results.map { result in
                let host = result.url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
                return ["kind": "customsearch#result", "title": .string(result.title), "htmlTitle": .string(result.title),
                        "link": .string(result.url), "displayLink": .string(host), "snippet": .string(result.snippet)]
            })
        }
        return APIReplicaServer.json(.ok, .object(body))
    }
}
