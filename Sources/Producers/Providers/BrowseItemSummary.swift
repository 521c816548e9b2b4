import JSON

/// A Browse API `SearchPagedCollection`: `total` and the `itemSummaries` (absent when nothing
/// was found).
public struct BrowseSearchPage: Sendable {
    public var total: Int
    public var items: [BrowseItemSummary]
    /// `warnings[].message`, for diagnosis.
    public var warnings: [String]

    init(_ body: JSONValue) {
        items = (body["itemSummaries"]?.arrayValue ?? []).compactMap(BrowseItemSummary.init)
        total = body["total"]?.intValue ?? items.count
        warnings = (body["warnings"]?.arrayValue ?? []).compactMap { $0["message"]?.stringValue }
    }
}

/// The fields of a Browse API `ItemSummary` lens-gpt uses.
public struct BrowseItemSummary: Sendable, Equatable {
    public var itemID: String
    public var title: String
    public var link: String
    /// Decimal string as the API gives it (`"129.99"`).
    public var price: String?
    public var currency: String?
    /// The cheapest shipping option's cost, `"0.00"` for free; nil when the API names none.
    public var shipping: String?
    /// The marketplace's wording (`"Used"`, `"Certified - Refurbished"`).
    public var conditionText: String?
    public var conditionID: String?
    public var image: String?
    /// `FIXED_PRICE`, `AUCTION`, `BEST_OFFER`.
    public var buyingOptions: [String]
    /// ISO 8601; auctions and ending listings.
    public var endDate: String?

    /// nil without a title or an http(s) `itemWebUrl`.
    init?(_ item: JSONValue) {
        guard let title = item["title"]?.stringValue?.trimmed, !title.isEmpty,
              let link = item["itemWebUrl"]?.stringValue, link.hasPrefix("https://") || link.hasPrefix("http://") else { return nil }
        self.title = title
        self.link = LensLinks.stripTracking(link)
        itemID = item["itemId"]?.stringValue ?? item["legacyItemId"]?.stringValue ?? ""
        if let amount = BrowseItemSummary.amount(item["price"]?["value"]) {
            price = amount
            currency = item["price"]?["currency"]?.stringValue
        }
        let costs = (item["shippingOptions"]?.arrayValue ?? []).compactMap { option -> (String, Double)? in
            guard let text = BrowseItemSummary.amount(option["shippingCost"]?["value"]), let value = Double(text) else { return nil }
            return (text, value)
        }
        shipping = costs.min { $0.1 < $1.1 }?.0
        conditionText = item["condition"]?.stringValue
        conditionID = item["conditionId"].flatMap { value -> String? in
            if case .number(let digits) = value { return digits }
            return value.stringValue
        }
        image = item["image"]?["imageUrl"]?.stringValue ?? item["thumbnailImages"]?[0]?["imageUrl"]?.stringValue
        buyingOptions = (item["buyingOptions"]?.arrayValue ?? []).compactMap(\.stringValue)
        endDate = item["itemEndDate"]?.stringValue
    }

    /// The Browse API's condition ids in PROTOCOL.md's words. The page reader's words for the same grades
    /// agree ("Certified - Refurbished" and "Open box" read as like_new, "Seller refurbished" as very_good).
    static let conditions: [String: String] = [
        "1000": "new", "1500": "new", "1750": "like_new",
        "2000": "like_new", "2010": "like_new", "2020": "very_good", "2030": "good", "2500": "very_good",
        "2750": "like_new", "3000": "used", "4000": "very_good", "5000": "good", "6000": "acceptable", "7000": "for_parts",
    ]

    /// The normalised condition: from `conditionId`, else from the wording as the marketplace's pages use it.
    public var condition: String? {
        // 1500 is "New other (see details)", shown as "Open box" in some categories: the words tell which.
        if conditionID == "1500", let worded = wordedCondition { return worded }
        if let id = conditionID, let known = BrowseItemSummary.conditions[id] { return known }
        return wordedCondition
    }

    /// The condition as the marketplace's pages' words read it (its profile's, `site_profile`).
    private var wordedCondition: String? {
        guard let conditionText, !conditionText.isEmpty else { return nil }
        let words = MarketplaceCatalog.named(MarketplaceAPIs.browse.siteProfile)?.condition(of: conditionText) ?? ConditionWords.normalize(conditionText)
        return words == "unknown" ? nil : words
    }

    /// `"12.50"` or `12.5` as a plain decimal string; nil for anything else.
    static func amount(_ value: JSONValue?) -> String? {
        let text: String?
        switch value {
        case .string(let string): text = string.trimmed
        case .number(let digits): text = digits
        default: text = nil
        }
        guard let text, !text.isEmpty, text.allSatisfy({ $0.isNumber || $0 == "." }), Double(text) != nil else { return nil }
        return text
    }
}

extension SearchListing {
    /// A Browse API item as a listing, in the shape the page readers give.
    public init(_ item: BrowseItemSummary, provider: String) {
        title = item.title
        link = item.link
        price = item.price
        priceMax = nil
        currency = item.currency
        shipping = item.shipping
        condition = item.condition
        wear = item.conditionText
        sold = false
        soldDate = nil
        partialMatch = false  // the API's results are its matches; it marks no looser section
        ended = false
        thumbnail = item.image
        itemID = item.itemID.isEmpty ? nil : item.itemID
        self.provider = provider
    }
}
