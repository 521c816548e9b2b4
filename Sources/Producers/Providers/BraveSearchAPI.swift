import JSON
import Outbound

/// The Brave Search API: `GET {base}/res/v1/web/search?q=…&count=N` with the key in
/// `X-Subscription-Token`; organic results in `web.results` (`web` absent when there are none).
public struct BraveSearchAPI: WebSearchAPI {
    public static let defaultURL = "https://api.search.brave.com"
    /// The API's largest `count`.
    public static let maxCount = 20
    let key: String
    let count: Int
    public let call: WebAPICall

    public init(base: String = BraveSearchAPI.defaultURL, key: String, count: Int = 10, http: HTTPClient = HTTPClient()) {
        self.key = key
        self.count = Self.pageSize(count)
        call = WebAPICall(provider: "brave-api", base: base, http: http)
    }

    public func results(_ query: String, timeoutMillis: Int) throws(WebAPIFailure) -> [SearchHit] {
        let url = "\(base)/res/v1/web/search?q=\(WebAPICall.encode(query))&count=\(count)"
        // `{"type": "ErrorResponse", "error": {"code", "detail", "status"}}`
        let answer = try call.get(url, shownURL: url, headers: [("X-Subscription-Token", key)], timeoutMillis: timeoutMillis) { body in
            [body?["error"]?["code"]?.stringValue, body?["error"]?["detail"]?.stringValue].compactMap { $0 }.joined(separator: ": ").nonEmpty
        }
        guard let body = answer.body, body["type"]?.stringValue != "ErrorResponse" else {
            throw WebAPIFailure(provider: name, code: "api_failed", message: answer.body?["error"]?["detail"]?.stringValue ?? "an error answer",
                                retryable: true)
        }
        return (body["web"]?["results"]?.arrayValue ?? []).compactMap {
            Self.hit(title: $0["title"]?.stringValue.map(Self.plain), link: $0["url"]?.stringValue,
                     snippet: $0["description"]?.stringValue.map(Self.plain))
        }
    }

    /// Brave marks the query's words with `<strong>` in titles and descriptions.
    static func plain(_ text: String) -> String {
        text.replacing("<strong>", with: "").replacing("</strong>", with: "")
    }
}
