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

    /// The EAN-13 printed on the `vacuum-flask` sample photo; its maker page states it.
    public static let barcodeSampleGTIN = "4260315700040"

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
        let maker = makers[drawing.id] ?? fallbackMaker(drawing)
        return ShopEntry(productID: drawing.id, brand: drawing.brand, name: drawing.name, maker: maker,
                         listings: listings(drawing), otherModelName: otherModels[drawing.id] ?? "Mini \(drawing.name)")
    }

    /// The same maker's different product, for the "other model" listing.
    static let otherModels: [String: String] = [
        "desk-lamp": "Arc Floor Lamp", "trail-shoe": "Road Running Shoe", "ceramic-mug": "Ceramic Mug 500 ml",
        "headphones": "Orbit Wireless Earbuds", "canvas-backpack": "Canvas Backpack 30 L",
        "chronograph": "Meridian Chronograph 42 mm", "vacuum-flask": "Summit Vacuum Flask 1 l",
    ]

    static let makers: [String: MakerSite] = [
        "desk-lamp": MakerSite(
            host: "www.nordlys.example", path: "/products/arc-desk-lamp", style: .jsonLDGraph, inLensMatches: true,
            facts: RetailFacts(name: "Arc Desk Lamp", price: "129.00", currency: "USD",
                               description: "A slim arc of brushed aluminium with a warm, dimmable LED head.",
                               material: "Aluminium", specs: [("Colour temperature", "2700 K"), ("Height", "48 cm")],
                               sku: "NL-ARC-01", gtin: "4006381333931"),
            brandName: "Nordlys"),
        "trail-shoe": MakerSite(
            host: "kestrel.example", path: "/shop/trail-running-shoe", style: .microdata, inLensMatches: true,
            facts: RetailFacts(name: "Trail Running Shoe", price: "140.00", currency: "USD",
                               description: "Grippy lugs and a rock plate for long days on technical trails.",
                               material: "Recycled mesh", specs: [("Drop", "6 mm"), ("Weight", "290 g")],
                               sku: "KS-TRAIL-2", gtin: "0885909950805"),
            brandName: "Kestrel"),
        "ceramic-mug": MakerSite(
            host: "www.fjordware.example", path: "/mug-350", style: .openGraph, inLensMatches: true,
            facts: RetailFacts(name: "Ceramic Mug 350 ml", price: "22.00", currency: "EUR",
                               description: "A thick-walled stoneware mug glazed by hand in seafoam green.",
                               material: "Stoneware", specs: [("Capacity", "350 ml"), ("Dishwasher safe", "Yes")],
                               sku: "FW-MUG-350", gtin: "7350053850019"),
            brandName: "Fjordware"),
        "headphones": MakerSite(
            host: "www.sonique.example", path: "/p/orbit-wireless-headphones", style: .appState, inLensMatches: false,
            facts: RetailFacts(name: "Orbit Wireless Headphones", price: "199.00", currency: "USD",
                               description: "Closed-back wireless headphones with 40 hours of battery and active noise cancelling.",
                               material: "Protein leather", specs: [("Battery life", "40 h"), ("Bluetooth", "5.3")],
                               sku: "SQ-ORBIT", gtin: "0194252056356"),
            brandName: "Sonique"),
        "canvas-backpack": MakerSite(
            host: "tidewater.example", path: "/bags/canvas-backpack-22l", style: .none, inLensMatches: true,
            facts: RetailFacts(name: "Canvas Backpack 22 L", price: "89.00", currency: "USD",
                               description: "Waxed canvas daypack with a padded laptop sleeve and leather trims.",
                               material: "Waxed cotton canvas", specs: [("Volume", "22 L"), ("Laptop sleeve", "15 in")],
                               sku: "TW-CB22", gtin: "5060312345672"),
            brandName: "Tidewater"),
        "chronograph": MakerSite(
            host: "www.halden.example", path: "/watches/meridian-chronograph-40mm", style: .scriptRendered, inLensMatches: true,
            facts: RetailFacts(name: "Meridian Chronograph 40 mm", price: "345.00", currency: "USD",
                               description: "A quartz chronograph with a sapphire crystal and a tan leather strap.",
                               material: "Stainless steel", specs: [("Case diameter", "40 mm"), ("Water resistance", "100 m")],
                               sku: "HD-MER-40", gtin: "7612345678906"),
            brandName: "Halden"),
        // The barcode sample: with Lens blocked, its maker page is found by searching its GTIN.
        "vacuum-flask": MakerSite(
            host: "www.bergfrost.example", path: "/products/summit-vacuum-flask", style: .jsonLDGraph, inLensMatches: true,
            facts: RetailFacts(name: "Summit Vacuum Flask 750 ml", price: "39.00", currency: "EUR",
                               description: "Double-walled steel flask that keeps drinks hot for 24 hours.",
                               material: "Stainless steel", specs: [("Capacity", "750 ml"), ("Keeps hot", "24 h")],
                               sku: "BF-SUMMIT-750", gtin: barcodeSampleGTIN),
            brandName: "Bergfrost"),
    ]

    /// A product added to the drawings without a maker entry still gets a plain JSON-LD shop.
    static func fallbackMaker(_ drawing: LensCatalog.Drawing) -> MakerSite {
        let label = drawing.brand.lowercased().filter { $0.isLetter || $0.isNumber }
        return MakerSite(host: "www.\(label).example", path: "/products/\(drawing.id)", style: .jsonLDGraph, inLensMatches: true,
                         facts: RetailFacts(name: drawing.name, price: LensCatalog.decimal(drawing.usd), currency: "USD",
                                            description: "\(drawing.brand) \(drawing.name).", material: "Mixed",
                                            specs: [], sku: drawing.id.uppercased(), gtin: "0000000000000"),
                         brandName: drawing.brand)
    }

    static func sold(_ listing: ListingSpec, on date: String) -> ListingSpec {
        var copy = listing
        copy.soldDate = date
        return copy
    }

    /// Ten listings per product on three marketplaces (two of them sold on eBay), in USD and EUR: four real offers
    /// (one of them reachable under two URLs) and one each of what the offers stage must drop.
    static func listings(_ drawing: LensCatalog.Drawing) -> [ListingSpec] {
        guard let index = LensCatalog.drawings.firstIndex(where: { $0.id == drawing.id }) else { return [] }
        let base = 1_000_000_000 + (index + 1) * 1_000  // item numbers: 10000010xx for the first product, ...
        let full = "\(drawing.brand) \(drawing.name)"
        let other = otherModels[drawing.id] ?? "Mini \(drawing.name)"
        let usd = drawing.usd
        let eur = usd * 92 / 100
        func whole(_ cents: Int) -> String { "\(max(1, (cents + 50) / 100)).00" }
        func listing(_ market: DemoMarketplace, _ n: Int, _ title: String, _ price: String, _ currency: String,
                     _ wear: String, _ condition: String, _ kind: ListingKind, lens: Bool) -> ListingSpec
        {
            let id = "\(base + n)"
            let url: String
            var alternate: String?
            switch market {
            case .ebay:
                url = "http://www.ebay.example/itm/\(id)"
                alternate = "http://www.ebay.example/itm/\(LensCatalog.slug(title))/\(id)"
            case .vinted: url = "http://www.vinted.example/items/\(id)-\(LensCatalog.slug(title))"
            case .kleinanzeigen: url = "http://www.kleinanzeigen.example/s-anzeige/\(LensCatalog.slug(title))/\(id)"
            }
            return ListingSpec(marketplace: market, itemID: id, url: url, alternateURL: alternate, title: title, price: price,
                               currency: currency, wear: wear, condition: condition, kind: kind, inLensMatches: lens,
                               thumbnail: "http://\(market.host)/img/\(drawing.id).png", productID: drawing.id)
        }
        return [
            listing(.ebay, 1, "\(full) - works perfectly", whole(usd * 60 / 100), "USD", "Pre-owned", "used", .offer, lens: true),
            listing(.ebay, 2, "\(full) open box", whole(usd * 80 / 100), "USD", "Open box", "like_new", .offer, lens: false),
            listing(.ebay, 3, "Lot of 3 \(full)", whole(usd * 150 / 100), "USD", "Pre-owned", "used", .lot, lens: true),
            listing(.ebay, 4, "\(full) - for parts or not working", whole(usd * 20 / 100), "USD",
                    "For parts or not working", "for_parts", .forParts, lens: false),
            listing(.ebay, 5, "\(drawing.name) inspired by \(drawing.brand) (replica)", whole(usd * 25 / 100), "USD",
                    "New", "new", .replica, lens: false),
            listing(.vinted, 6, full, whole(eur * 65 / 100), "EUR", "Very good", "very_good", .offer, lens: true),
            listing(.vinted, 7, "\(drawing.brand) \(other)", whole(eur * 40 / 100), "EUR", "Good", "good", .otherModel, lens: true),
            listing(.kleinanzeigen, 8, full, whole(eur * 55 / 100), "EUR", "Gebraucht – gut", "good", .offer, lens: true),
            sold(listing(.ebay, 9, full, whole(usd * 70 / 100), "USD", "Pre-owned", "used", .sold, lens: false), on: "2026-03-06"),
            sold(listing(.ebay, 10, "\(full) with box", whole(usd * 75 / 100), "USD", "Open box", "like_new", .sold, lens: false),
                 on: "2026-02-27"),
        ]
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
