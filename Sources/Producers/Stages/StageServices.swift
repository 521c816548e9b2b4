import JSON
import Pipeline

/// Pages for the shopping stages. The wiring adapts the guarded outbound fetcher to it; tests
/// use a plain client on loopback.
public protocol PageSource: Sendable {
    /// Final URL, status, body (possibly truncated), or throws StageError with code fetch_blocked / fetch_timeout / fetch_redirects / fetch_status / fetch_failed.
    func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8])
    /// The same within `timeoutMillis`. Sources that cannot narrow their own limit per call
    /// keep the default, which ignores it; the offers stage then stops waiting by itself.
    func fetchPage(_ url: String, timeoutMillis: Int) throws -> (url: String, status: Int, body: [UInt8])
}

extension PageSource {
    public func fetchPage(_ url: String, timeoutMillis: Int) throws -> (url: String, status: Int, body: [UInt8]) {
        try fetchPage(url)
    }
}

/// An LLM that answers in a strict JSON schema; nil where no LLM is configured.
public protocol StructuredChat: Sendable {
    /// One strict-JSON-schema completion; throws on any failure (the caller falls back to its deterministic method).
    func complete(system: String, user: String, schemaName: String, schema: JSONValue) throws -> JSONValue
}

/// A page as a browser shows it after its scripts ran: for shops that render prices in
/// JavaScript or refuse plain fetches.
public protocol PageRenderer: Sendable {
    /// The final URL and the rendered document's HTML.
    func render(_ url: String, timeoutMillis: Int) throws -> (url: String, html: String)
}

/// A search (web or marketplace) that returns result links for a query.
public protocol SearchService: Sendable {
    /// The profile's name, for messages.
    var name: String { get }
    func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit]
}

/// One search result as the profile's extraction script read it.
public struct SearchHit: Sendable, Equatable {
    public var title: String
    public var link: String
    /// The price as shown, e.g. "$77.00" or "$20.00 to $35.00".
    public var priceText: String?
    /// The condition as shown, e.g. "Pre-owned".
    public var wear: String?
    public var thumbnail: String?
    public var snippet: String?
    /// The shipping as shown, e.g. "+$5.99 delivery", "Free shipping".
    public var shippingText: String?
    /// The sold mark as shown, e.g. "Sold  Mar 6, 2026" (nil: not sold).
    public var soldText: String?
    /// The site shows it as a looser match (after "Results matching fewer words").
    public var partialMatch: Bool
    /// Read by the fallback reader (the profile's item selector found nothing): less precise.
    public var degraded = false

    public init(title: String, link: String, priceText: String? = nil, wear: String? = nil, thumbnail: String? = nil,
                snippet: String? = nil, shippingText: String? = nil, soldText: String? = nil, partialMatch: Bool = false)
    {
        self.partialMatch = partialMatch
        self.title = title
        self.link = link
        self.priceText = priceText
        self.wear = wear
        self.thumbnail = thumbnail
        self.snippet = snippet
        self.shippingText = shippingText
        self.soldText = soldText
    }
}
