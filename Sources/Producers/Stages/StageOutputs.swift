/// What the identification and shopping stages hand to the stages that depend on them.

/// `model-producer`: what the product is.
public struct ProductIdentity: Sendable, Equatable {
    public var producer: String
    public var model: String
    /// 0...1
    public var confidence: Double
    /// `llm`, `llm-photo` or `heuristic`.
    public var method: String

    public init(producer: String, model: String, confidence: Double, method: String) {
        self.producer = producer
        self.model = model
        self.confidence = confidence
        self.method = method
    }

    /// What to search marketplaces and the web for.
    public var query: String { "\(producer) \(model)" }
}

/// `producer-url`: the maker's own page for the product.
public struct MakerPage: Sendable, Equatable {
    public var link: String
    public var title: String
    public var domain: String

    public init(link: String, title: String, domain: String) {
        self.link = link
        self.title = title
        self.domain = domain
    }
}

/// `retail-price-details`: the maker's price and product facts.
public struct RetailDetails: Sendable, Equatable {
    public var producerURL: String
    /// Decimal string, e.g. "129.00".
    public var price: String?
    /// ISO 4217.
    public var currency: String?
    public var originalName: String?
    public var description: String?
    public var material: String?
    /// Name → value, in page order.
    public var specs: [(name: String, value: String)]
    public var availability: String?
    public var sku: String?
    public var gtin: String?
    public var brand: String?
    public var image: String?
    /// `structured-data`, `visible` or `llm`.
    public var method: String

    public init(producerURL: String, price: String? = nil, currency: String? = nil, originalName: String? = nil,
                description: String? = nil, material: String? = nil, specs: [(name: String, value: String)] = [],
                availability: String? = nil, sku: String? = nil, gtin: String? = nil, brand: String? = nil,
                image: String? = nil, method: String)
    {
        self.producerURL = producerURL
        self.price = price
        self.currency = currency
        self.originalName = originalName
        self.description = description
        self.material = material
        self.specs = specs
        self.availability = availability
        self.sku = sku
        self.gtin = gtin
        self.brand = brand
        self.image = image
        self.method = method
    }

    public static func == (a: RetailDetails, b: RetailDetails) -> Bool {
        a.producerURL == b.producerURL && a.price == b.price && a.currency == b.currency && a.originalName == b.originalName
            && a.description == b.description && a.material == b.material && a.availability == b.availability
            && a.sku == b.sku && a.gtin == b.gtin && a.brand == b.brand && a.image == b.image && a.method == b.method
            && a.specs.map(\.name) == b.specs.map(\.name) && a.specs.map(\.value) == b.specs.map(\.value)
    }
}

/// One `second-hand-offers` entry.
public struct SecondHandOffer: Sendable, Equatable {
    /// Decimal string; the low end of a range.
    public var price: String
    public var currency: String?
    public var link: String
    public var title: String
    /// The wear as the listing words it ("Gebraucht – gut", "Pre-owned").
    public var wear: String
    /// Normalised: new, like_new, very_good, good, acceptable, for_parts, used, unknown.
    public var condition: String
    public var domain: String
    public var thumbnail: String?
    /// The high end of a price range ("$20.00 to $35.00"); nil for a single price.
    public var priceMax: String?
    /// Decimal string, "0.00" for free; nil where not shown.
    public var shipping: String?
    /// A sold (completed) listing: a sale price, never a current offer.
    public var sold: Bool
    /// ISO date of the sale where shown.
    public var soldDate: String?
    /// Where the offer came from when not a page read (an API provider's name).
    public var provider: String? = nil
    /// The site showed it as a looser match ("Results matching fewer words"): shown, never priced as the product.
    public var partialMatch: Bool

    public init(price: String, currency: String?, link: String, title: String, wear: String, condition: String,
                domain: String, thumbnail: String? = nil, priceMax: String? = nil, shipping: String? = nil,
                sold: Bool = false, soldDate: String? = nil, partialMatch: Bool = false)
    {
        self.partialMatch = partialMatch
        self.price = price
        self.currency = currency
        self.link = link
        self.title = title
        self.wear = wear
        self.condition = condition
        self.domain = domain
        self.thumbnail = thumbnail
        self.priceMax = priceMax
        self.shipping = shipping
        self.sold = sold
        self.soldDate = soldDate
    }
}
