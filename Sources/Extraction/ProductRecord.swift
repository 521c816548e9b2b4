/// What a product page says about its product. Every field is optional: pages leave things out.
public struct ProductRecord: Sendable, Equatable {
    public var name: String?
    public var brand: String?
    /// Decimal string as the price parser writes it ("1234.56").
    public var price: String?
    /// ISO 4217.
    public var currency: String?
    /// schema.org ItemAvailability name: "InStock", "OutOfStock", "PreOrder", ...
    public var availability: String?
    public var sku: String?
    public var gtin: String?
    public var mpn: String?
    public var description: String?
    public var material: String?
    /// Name/value pairs the page lists (schema.org additionalProperty, colour, size, ...).
    public var specs: [Spec] = []
    public var image: String?
    public var condition: ProductCondition?
    /// Where the price (or, without one, the record) came from.
    public var method: ExtractionMethod?
    /// The product's own URL as the markup gives it (not printed; used to pick the main product).
    public var url: String?
    /// schema.org productID: an SKU of last resort, after a labelled code on the page.
    var productID: String?

    public struct Spec: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init() {}

    /// Fills this record's missing fields from `other`, leaving present ones alone.
    mutating func fillGaps(from other: ProductRecord) {
        name = name ?? other.name
        brand = brand ?? other.brand
        if price == nil, let otherPrice = other.price {
            price = otherPrice
            currency = other.currency ?? currency
            method = other.method ?? method
        }
        currency = currency ?? other.currency
        availability = availability ?? other.availability
        sku = sku ?? other.sku
        gtin = gtin ?? other.gtin
        mpn = mpn ?? other.mpn
        description = description ?? other.description
        material = material ?? other.material
        if specs.isEmpty { specs = other.specs }
        image = image ?? other.image
        condition = condition ?? other.condition
        url = url ?? other.url
        productID = productID ?? other.productID
        method = method ?? other.method
    }

    /// How many fields are filled: a rough measure of how much of a page a block describes.
    var filledCount: Int {
        [name, brand, price, currency, availability, sku, gtin, mpn, description, material, image]
            .filter { $0 != nil }.count + specs.count
    }
}

/// Which reader produced a value.
public enum ExtractionMethod: String, Sendable {
    case jsonLD = "json-ld"
    case microdata
    case openGraph = "opengraph"
    case appState = "app-state"
    case visible
}
