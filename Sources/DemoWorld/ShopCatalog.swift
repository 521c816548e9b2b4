import JSON

/// How a maker page carries its product facts: one style per catalog product, so the retail
/// stage meets every reader of the `Extraction` target and both of its fallbacks.
public enum MakerPageStyle: String, Sendable, CaseIterable {
    /// JSON-LD `@graph` with an Organization, a BreadcrumbList and the Product with its Offer.
    case jsonLDGraph = "json-ld"
    /// schema.org microdata on the visible markup.
    case microdata
    /// OpenGraph `og:` and `product:` meta tags; material and specs only as visible text.
    case openGraph = "opengraph"
    /// A `__NEXT_DATA__` app-state blob, as Next.js shops ship it.
    case appState = "app-state"
    /// No structured data at all: headings, a price line and a spec table for people.
    case none
    /// The price exists only after a script runs: a fetch sees a page without one.
    case scriptRendered = "script-rendered"
}

/// What the maker's page says about a product, and so what `retail-price-details` must report.
public struct RetailFacts: Sendable {
    public let name: String
    /// Decimal string ("129.00").
    public let price: String
    /// ISO 4217.
    public let currency: String
    public let description: String
    public let material: String
    public let specs: [(name: String, value: String)]
    public let sku: String
    public let gtin: String
}

/// The maker's own shop for a product.
public struct MakerSite: Sendable {
    /// e.g. `www.nordlys.example`.
    public let host: String
    public let path: String
    public let style: MakerPageStyle
    /// Whether Lens lists the maker page among the matches; when not, `producer-url` has to
    /// find it through the web search.
    public let inLensMatches: Bool
    public let facts: RetailFacts

    public var url: String { "http://\(host)\(path)" }
    /// The host without `www.`, as stages report domains.
    public var domain: String { host.hasPrefix("www.") ? String(host.dropFirst(4)) : host }
    /// The `<title>` of the page and the title Lens and the web search show for it.
    public var title: String { "\(facts.name) | \(brandName)" }
    let brandName: String
}

/// The marketplaces of the demo world.
public enum DemoMarketplace: String, Sendable, CaseIterable {
    case ebay, vinted, kleinanzeigen

    public var host: String { "www.\(rawValue).example" }
    public var domain: String { "\(rawValue).example" }
}

/// Why a listing must or must not become an offer.
public enum ListingKind: String, Sendable {
    /// The product itself, second-hand: an offer.
    case offer
    /// Several items sold together.
    case lot
    /// Broken, for parts.
    case forParts = "for_parts"
    /// A copy "inspired by" the product.
    case replica
    /// The same maker's other product.
    case otherModel = "other_model"
    /// The product, sold: shown only on the sold-listings search, a sale price for the estimate.
    case sold
}

/// One marketplace listing of the demo world.
public struct ListingSpec: Sendable {
    public let marketplace: DemoMarketplace
    /// The marketplace's item number.
    public let itemID: String
    /// The listing's canonical URL.
    public let url: String
    /// Another URL of the same listing (a slugged eBay link), nil when it has none.
    public let alternateURL: String?
    public let title: String
    /// Decimal string.
    public let price: String
    public let currency: String
    /// The wear as the listing words it.
    public let wear: String
    /// What the wear normalises to (PROTOCOL.md's condition names).
    public let condition: String
    public let kind: ListingKind
    /// Listed among the product's Lens matches (with a tracking parameter on eBay links).
    public let inLensMatches: Bool
    /// Returned by the eBay-like search for the product (eBay listings only, not the sold ones).
    public var inSearch: Bool { marketplace == .ebay && kind != .sold }
    /// Returned by the eBay-like sold-listings search.
    public var inSoldSearch: Bool { marketplace == .ebay && kind == .sold }
    /// The date a sold listing sold (ISO), nil for the others.
    public var soldDate: String? = nil
    /// The product photo's thumbnail, served by the marketplace.
    public let thumbnail: String
    let productID: String
}

/// The shops and marketplaces of the demo world for the catalog's products: one source of
/// truth for the pages DemoWorld serves and for what the shopping stages must find in them.
public enum ShopCatalog {
    /// The catalog products' shops, in `LensCatalog.products` order.
    public static let entries: [ShopEntry] = LensCatalog.drawings.map(entry)

    public static func entry(_ productID: String) -> ShopEntry? { entries.first { $0.productID == productID } }

    /// A listing page on the eBay-like site that never answers: stages must give up on it.
    public static let hangingListingURL = "http://www.ebay.example/itm/990000000001"
    /// Its title in a product's search results (it is the product, so only its silence keeps it out).
    public static func hangingListingTitle(_ entry: ShopEntry) -> String { "\(entry.brand) \(entry.name), barely used" }

    /// The EAN-13 printed on the barcode sample's photo (`vacuum-flask`); its maker page states it.
    public static let barcodeSampleGTIN = LensCatalog.drawings.first(where: \.hasBarcode)?.gtin ?? ""

    /// A query every search replica answers with results (active and sold eBay listings, web
    /// results): what the search canaries ask in the demo.
    public static let canaryQuery: String = {
        let entry = entries.first { entry in entry.listings.contains(where: \.inSearch) && entry.listings.contains(where: \.inSoldSearch) }
        return entry.map { "\($0.brand) \($0.name)" } ?? "demo"
    }()

    /// The web search replica (DuckDuckGo's HTML page shape).
    public static let webSearchHost = "html.duckduckgo.example"
    /// Results URLs of the replicas, for `SearchProfile.searching(at:)` in demo mode.
    public static let webSearchURLTemplate = "http://html.duckduckgo.example/html/?q={query}"
    public static let ebaySearchURLTemplate = "http://www.ebay.example/sch/i.html?_nkw={query}"
    /// eBay's completed-and-sold listings for a query, as the `ebay-sold` profile asks for them.
    public static let ebaySoldSearchURLTemplate = "http://www.ebay.example/sch/i.html?_nkw={query}&LH_Sold=1&LH_Complete=1"
    /// The eBay-like site's bot check ("Pardon Our Interruption") instead of results.
    public static let ebayBotCheckURLTemplate = "http://www.ebay.example/sch/i.html?_nkw={query}&_demo=bot-check"
    /// The web search replica's bot check (DuckDuckGo's "anomaly" page) instead of results.
    public static let webSearchBotCheckURLTemplate = "http://html.duckduckgo.example/html/?q={query}&_demo=bot-check"

    static func entry(_ drawing: LensCatalog.Drawing) -> ShopEntry {
        let product = DemoCatalogFile.products.first { $0["id"]?.stringValue == drawing.id }
        let maker = product?["maker"].map { makerSite($0) } ?? fallbackMaker(drawing)
        let other = product?["other_model"]?.stringValue ?? "Mini \(drawing.name)"
        return ShopEntry(productID: drawing.id, brand: drawing.brand, name: drawing.name, maker: maker,
                         listings: listings(drawing, otherModel: other), otherModelName: other)
    }

    /// A product's `maker` in `demo-catalog.json`: its shop and what the page states.
    static func makerSite(_ maker: JSONValue) -> MakerSite {
        let string = { (key: String) in DemoCatalogFile.string(maker[key]) }
        let specs = (maker["specs"]?.arrayValue ?? []).map { (name: DemoCatalogFile.string($0[0]), value: DemoCatalogFile.string($0[1])) }
        return MakerSite(host: string("host"), path: string("path"), style: MakerPageStyle(rawValue: string("style")) ?? .jsonLDGraph,
                         inLensMatches: maker["in_lens_matches"]?.boolValue ?? true,
                         facts: RetailFacts(name: string("name"), price: string("price"), currency: string("currency"),
                                            description: string("description"), material: string("material"), specs: specs,
                                            sku: string("sku"), gtin: string("gtin")),
                         brandName: string("brand_name"))
    }

    /// A product added to the drawings without a maker entry still gets a plain JSON-LD shop.
    static func fallbackMaker(_ drawing: LensCatalog.Drawing) -> MakerSite {
        let label = drawing.brand.lowercased().filter { $0.isLetter || $0.isNumber }
        return MakerSite(host: "www.\(label).example", path: "/products/\(drawing.id)", style: .jsonLDGraph, inLensMatches: true,
                         facts: RetailFacts(name: drawing.name, price: LensCatalog.decimal(drawing.usd), currency: "USD",
                                            description: "\(drawing.brand) \(drawing.name).", material: "Mixed",
                                            specs: [], sku: drawing.id.uppercased(), gtin: "0000000000000"),
                         brandName: drawing.brand)
    }

    /// The listings of `demo-catalog.json` for one product: ten on three marketplaces (two of them sold on eBay), in USD
    /// and EUR; four real offers (one of them reachable under two URLs) and one each of what the offers stage must drop.
    static func listings(_ drawing: LensCatalog.Drawing, otherModel: String) -> [ListingSpec] {
        guard let index = LensCatalog.drawings.firstIndex(where: { $0.id == drawing.id }) else { return [] }
        let base = 1_000_000_000 + (index + 1) * 1_000  // item numbers: 10000010xx for the first product, ...
        let values = ["full": "\(drawing.brand) \(drawing.name)", "name": drawing.name, "brand": drawing.brand, "other": otherModel]
        let eur = drawing.usd * 92 / 100
        return DemoCatalogFile.listings.enumerated().compactMap { n, row in
            guard let market = DemoMarketplace(rawValue: DemoCatalogFile.string(row["marketplace"])),
                  let kind = ListingKind(rawValue: DemoCatalogFile.string(row["kind"])) else { return nil }
            let id = "\(base + n + 1)"
            let title = DemoCatalogFile.fill(row["title"], values)
            let currency = DemoCatalogFile.string(row["currency"])
            let cents = (currency == "EUR" ? eur : drawing.usd) * (row["percent"]?.intValue ?? 100) / 100
            let url: String
            var alternate: String?
            switch market {
            case .ebay:
                url = "http://www.ebay.example/itm/\(id)"
                alternate = "http://www.ebay.example/itm/\(LensCatalog.slug(title))/\(id)"
            case .vinted: url = "http://www.vinted.example/items/\(id)-\(LensCatalog.slug(title))"
            case .kleinanzeigen: url = "http://www.kleinanzeigen.example/s-anzeige/\(LensCatalog.slug(title))/\(id)"
            }
            return ListingSpec(marketplace: market, itemID: id, url: url, alternateURL: alternate, title: title,
                               price: "\(max(1, (cents + 50) / 100)).00", currency: currency, wear: DemoCatalogFile.string(row["wear"]),
                               condition: DemoCatalogFile.string(row["condition"]), kind: kind,
                               inLensMatches: row["in_lens_matches"]?.boolValue ?? false, soldDate: row["sold_on"]?.stringValue,
                               thumbnail: "http://\(market.host)/img/\(drawing.id).png", productID: drawing.id)
        }
    }
}

/// A catalog product's maker site and marketplace listings.
public struct ShopEntry: Sendable {
    public let productID: String
    public let brand: String
    public let name: String
    public let maker: MakerSite
    public let listings: [ListingSpec]
    /// The model the "other model" listing is about.
    public let otherModelName: String

    /// The offers `second-hand-offers` must report, one per listing (duplicates merged): from
    /// the Lens matches alone, or with the eBay-like search as well.
    public func expectedOffers(withSearch: Bool) -> [ListingSpec] {
        listings.filter { ($0.kind == .offer && ($0.inLensMatches || (withSearch && $0.inSearch))) || (withSearch && $0.inSoldSearch) }
    }
}
