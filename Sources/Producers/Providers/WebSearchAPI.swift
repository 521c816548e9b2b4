import JSON
import Pipeline

/// A web search through a provider's official API (`brave-api`, `google-cse`): organic results
/// in the provider's order, as the result-page profiles give them. In a `SearchChain` it comes
/// before the page profiles; its failures (`api_rate_limited`, `api_unauthorized`, `api_failed`,
/// `network_unavailable`) move the chain on to them.
public protocol WebSearchAPI: SearchService {
    /// The results, `[]` when the provider found none; a failure is never an empty result.
    func results(_ query: String, timeoutMillis: Int) throws(WebAPIFailure) -> [SearchHit]
    /// The provider's name and base URL, and its HTTP client.
    var call: WebAPICall { get }
    /// The API's largest page of results.
    static var maxCount: Int { get }
}

extension WebSearchAPI {
    public var name: String { call.provider }
    public var base: String { call.base }

    /// `count` within what the API serves: 1 to `maxCount`.
    static func pageSize(_ count: Int) -> Int { min(max(1, count), maxCount) }

    public func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        do {
            return try results(query, timeoutMillis: timeoutMillis)
        } catch {
            throw error.stageError
        }
    }

    /// A result with a usable http(s) link and a title, tracking parameters dropped.
    static func hit(title: String?, link: String?, snippet: String?) -> SearchHit? {
        guard let title = title?.split(whereSeparator: \.isWhitespace).joined(separator: " ").nonEmpty,
              let link, link.hasPrefix("http://") || link.hasPrefix("https://") else { return nil }
        return SearchHit(title: title, link: LensLinks.stripTracking(link), snippet: snippet?.trimmedSpaces.nonEmpty)
    }
}
