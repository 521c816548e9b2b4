import JSON
import Outbound

/// Google's Programmable Search (Custom Search JSON API): `GET {base}/customsearch/v1?key=…&cx=…&q=…&num=N`,
/// results in `items` (absent when there are none). The key travels in the query string, so the
/// URL named in messages is one without it.
public struct GoogleCSESearch: WebSearchAPI {
    public static let defaultURL = "https://www.googleapis.com"
    /// The API's largest `num`.
    public static let maxCount = 10
    let key: String
    let engineID: String
    let count: Int
    public let call: WebAPICall

    public init(base: String = GoogleCSESearch.defaultURL, key: String, engineID: String, count: Int = 10, http: HTTPClient = HTTPClient()) {
        self.key = key
        self.engineID = engineID
        self.count = Self.pageSize(count)
        call = WebAPICall(provider: "google-cse", base: base, http: http)
    }

    public func results(_ query: String, timeoutMillis: Int) throws(WebAPIFailure) -> [SearchHit] {
        let rest = "cx=\(WebAPICall.encode(engineID))&q=\(WebAPICall.encode(query))&num=\(count)"
        let url = "\(base)/customsearch/v1?key=\(WebAPICall.encode(key))&\(rest)"
        let shown = "\(base)/customsearch/v1?key=…&\(rest)"
        var reasons: [String] = []
        let answer: WebAPICall.Answer
        do {
            answer = try call.get(url, shownURL: shown, headers: [], timeoutMillis: timeoutMillis) { body in
                // `errors[].reason` (`keyInvalid`, `dailyLimitExceeded`, …) and `details[].reason` (`API_KEY_INVALID`).
                reasons = ((body?["error"]?["errors"]?.arrayValue ?? []) + (body?["error"]?["details"]?.arrayValue ?? []))
                    .compactMap { $0["reason"]?.stringValue }
                return [body?["error"]?["status"]?.stringValue, body?["error"]?["message"]?.stringValue].compactMap { $0 }
                    .joined(separator: ": ").nonEmpty
            }
        } catch {
            throw GoogleCSESearch.retyped(error, reasons: reasons)
        }
        return (answer.body?["items"]?.arrayValue ?? []).compactMap {
            Self.hit(title: $0["title"]?.stringValue, link: $0["link"]?.stringValue, snippet: $0["snippet"]?.stringValue)
        }
    }

    /// Google says "bad key" with 400 (`API_KEY_INVALID`, `keyInvalid`) and "quota used up" with 403 on older
    /// projects (`dailyLimitExceeded`, `rateLimitExceeded`, `quotaExceeded`): what they mean, not their status.
    static func retyped(_ failure: WebAPIFailure, reasons: [String]) -> WebAPIFailure {
        var out = failure
        if reasons.contains(where: { $0.hasSuffix("LimitExceeded") || $0 == "quotaExceeded" }) {
            out.code = "api_rate_limited"
            out.retryable = true
        } else if reasons.contains(where: { ["keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"].contains($0) }) {
            out.code = "api_unauthorized"
            out.retryable = false
        }
        return out
    }
}
