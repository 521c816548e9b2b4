import JSON

/// One visual match as the `lens-matches` event carries it (PROTOCOL.md).
public struct LensMatch: Sendable, Equatable {
    public var title: String
    public var link: String
    public var domain: String
    public var source: String?
    public var price: String?
    public var currency: String?
    public var thumbnail: String?
    public var position: Int
    /// The visual-search provider that found it (`google-lens`, `serpapi`, ...).
    public var provider: String?
    /// The provider says this page shows the very same image (an "exact match").
    public var exact = false

    public init(title: String, link: String, domain: String, source: String? = nil, price: String? = nil,
                currency: String? = nil, thumbnail: String? = nil, position: Int, provider: String? = nil)
    {
        self.provider = provider
        self.title = title
        self.link = link
        self.domain = domain
        self.source = source
        self.price = price
        self.currency = currency
        self.thumbnail = thumbnail
        self.position = position
    }

    /// A match from what the profile's extraction script read off a card; nil when the card
    /// has no usable link or title.
    init?(raw: JSONValue, position: Int) {
        guard let rawLink = raw["link"]?.stringValue, let title = raw["title"]?.stringValue, !title.isEmpty else { return nil }
        let link = LensLinks.clean(rawLink)
        guard let domain = LensLinks.domain(link) else { return nil }
        self.title = title
        self.link = link
        self.domain = domain
        source = raw["source"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if let text = raw["price"]?.stringValue, let parsed = PriceText.parse(text) {
            price = parsed.amount
            currency = parsed.currency
        }
        thumbnail = raw["thumbnail"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        self.position = position
    }

    /// Known keys only: a client can tell "no price shown" from "price 0".
    public var json: JSONValue {
        var object: JSONObject = ["title": .string(title), "link": .string(link), "domain": .string(domain)]
        if let source { object["source"] = .string(source) }
        if let price { object["price"] = .string(price) }
        if let currency { object["currency"] = .string(currency) }
        if let thumbnail { object["thumbnail"] = .string(thumbnail) }
        object["position"] = .int(position)
        if let provider { object["provider"] = .string(provider) }
        if exact { object["exact"] = true }
        return .object(object)
    }
}
