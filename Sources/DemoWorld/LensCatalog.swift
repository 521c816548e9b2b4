/// One visual match the replica shows for a product, and what a correct reader makes of it.
public struct LensMatchSpec: Sendable {
    public let title: String
    /// The clean product link (what the Lens stage must report).
    public let link: String
    /// The site name shown on the card.
    public let source: String
    /// The price as printed on the card, nil when the card shows none.
    public let priceText: String?
    /// The amount and ISO currency a correct price reader gets from `priceText`.
    public let price: String?
    public let currency: String?
    /// Google puts some price badges outside the card's link.
    public let priceOutsideLink: Bool
    /// Whether the card links through a `/url?q=` redirect with tracking parameters.
    public let viaRedirect: Bool
    /// The site's own click tracking on the card's link (eBay's `_trkparms`), which the Lens
    /// stage must drop like Google's.
    public var siteTracking: String? = nil

    /// The host of `link` without `www.`.
    public var domain: String {
        let afterScheme = link.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        let host = afterScheme.count > 2 ? String(afterScheme[2]) : link
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}

/// A product of the catalog: its sample photo and the matches Lens "finds" for it.
public struct LensProduct: Sendable {
    public let id: String
    public let name: String
    public let brand: String
    /// The sample photo (PNG), as served at `/demo/samples/{id}.png`.
    public let photo: [UInt8]
    /// A 32×32 version for card thumbnails.
    public let thumbnail: [UInt8]
    public let matches: [LensMatchSpec]
}

/// The small catalog the offline Lens replica searches. Photos are drawn in code, so nothing
/// binary ships with the source.
public enum LensCatalog {
    public static let products: [LensProduct] = drawings.map { drawing in
        let canvas = drawing.draw()
        return LensProduct(id: drawing.id, name: drawing.name, brand: drawing.brand, photo: canvas.png,
                           thumbnail: canvas.scaled(to: 32).png,
                           matches: matches(id: drawing.id, name: drawing.name, brand: drawing.brand, usd: drawing.usd))
    }

    public static func product(_ id: String) -> LensProduct? { products.first { $0.id == id } }

    struct Drawing {
        let id: String
        let name: String
        let brand: String
        /// Base price in US cents; other shops derive theirs from it.
        let usd: Int
        let draw: @Sendable () -> Canvas
    }

    static let drawings: [Drawing] = [
        Drawing(id: "desk-lamp", name: "Arc Desk Lamp", brand: "Nordlys", usd: 12_900) {
            var c = Canvas(width: 128, height: 128, top: (24, 32, 64), bottom: (12, 16, 36))
            c.ellipse(0.30, 0.22, 0.20, 0.12, (250, 204, 40))
            c.rect(0.44, 0.22, 0.50, 0.80, (200, 200, 210))
            c.ellipse(0.47, 0.86, 0.26, 0.06, (220, 220, 230))
            return c
        },
        Drawing(id: "trail-shoe", name: "Trail Running Shoe", brand: "Kestrel", usd: 14_000) {
            var c = Canvas(width: 128, height: 128, top: (236, 236, 236), bottom: (200, 200, 200))
            c.ellipse(0.52, 0.62, 0.40, 0.18, (210, 40, 40))
            c.rect(0.20, 0.44, 0.52, 0.66, (210, 40, 40))
            c.rect(0.10, 0.74, 0.94, 0.80, (250, 250, 250))
            return c
        },
        Drawing(id: "ceramic-mug", name: "Ceramic Mug 350 ml", brand: "Fjordware", usd: 2_400) {
            var c = Canvas(width: 128, height: 128, top: (150, 210, 200), bottom: (110, 180, 170))
            c.ring(0.72, 0.52, 0.10, 0.16, (245, 245, 240))
            c.rect(0.26, 0.28, 0.68, 0.82, (245, 245, 240))
            return c
        },
        Drawing(id: "headphones", name: "Orbit Wireless Headphones", brand: "Sonique", usd: 19_900) {
            var c = Canvas(width: 128, height: 128, top: (255, 255, 255), bottom: (235, 235, 235))
            c.ring(0.50, 0.55, 0.30, 0.37, (30, 30, 34), upperOnly: true)
            c.ellipse(0.18, 0.64, 0.09, 0.16, (30, 30, 34))
            c.ellipse(0.82, 0.64, 0.09, 0.16, (30, 30, 34))
            return c
        },
        Drawing(id: "canvas-backpack", name: "Canvas Backpack 22 L", brand: "Tidewater", usd: 8_900) {
            var c = Canvas(width: 128, height: 128, top: (232, 220, 196), bottom: (214, 200, 170))
            c.rect(0.14, 0.10, 0.30, 0.94, (92, 104, 56))
            c.rect(0.14, 0.60, 0.86, 0.94, (92, 104, 56))
            c.rect(0.55, 0.10, 0.86, 0.36, (60, 70, 36))
            return c
        },
        Drawing(id: "chronograph", name: "Meridian Chronograph 40 mm", brand: "Halden", usd: 34_500) {
            var c = Canvas(width: 128, height: 128, top: (40, 40, 44), bottom: (20, 20, 22))
            c.rect(0.40, 0.0, 0.60, 1.0, (120, 72, 40))
            c.ellipse(0.50, 0.50, 0.30, 0.30, (214, 214, 222))
            c.ellipse(0.50, 0.50, 0.22, 0.22, (250, 250, 252))
            return c
        },
        // A boxed product photographed with its barcode: the GTIN alone identifies it.
        Drawing(id: "vacuum-flask", name: "Summit Vacuum Flask 750 ml", brand: "Bergfrost", usd: 3_900) {
            var c = Canvas(width: 320, height: 240, top: (70, 84, 96), bottom: (44, 52, 60))
            c.rect(0.08, 0.10, 0.92, 0.92, (214, 96, 48))  // the box
            c.rect(0.14, 0.16, 0.86, 0.34, (246, 240, 226))  // its label
            c.rect(0.18, 0.21, 0.60, 0.29, (40, 60, 90))
            EAN13Bars.draw(ShopCatalog.barcodeSampleGTIN, on: &c, x: 47, y: 100, module: 2, height: 100)
            return c
        },
    ]

    /// `nordlys-arc-desk-lamp` from a title.
    static func slug(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    /// Seven shops with the price formats Lens cards show (symbol before or after, decimal
    /// comma, ISO code, zero-decimal yen, none at all).
    static func matches(id: String, name: String, brand: String, usd: Int) -> [LensMatchSpec] {
        let slug = LensCatalog.slug(brand + " " + name)
        let eur = usd * 92 / 100
        let gbp = usd * 79 / 100
        let used = usd * 55 / 100
        let yen = usd * 150 / 100 / 100 * 100
        return [
            LensMatchSpec(title: "\(brand) \(name)", link: "http://www.nordicliving.example/products/\(slug)",
                          source: "Nordic Living", priceText: "$\(dollars(usd))", price: decimal(usd), currency: "USD",
                          priceOutsideLink: true, viaRedirect: true),
            LensMatchSpec(title: "\(name) – \(brand) | Maison Boutique", link: "http://maison-boutique.example/fr/produit/\(slug)?couleur=standard",
                          source: "Maison Boutique", priceText: "\(euros(eur)) €", price: decimal(eur), currency: "EUR",
                          priceOutsideLink: false, viaRedirect: true),
            LensMatchSpec(title: "\(brand) \(name) - Free UK delivery", link: "http://www.brithome.example/p/\(id)?variant=2",
                          source: "Brit Home", priceText: "£\(dollars(gbp))", price: decimal(gbp), currency: "GBP",
                          priceOutsideLink: true, viaRedirect: false),
            LensMatchSpec(title: "Used \(brand) \(name), good condition", link: "http://www.resellr.example/item/7731-\(slug)",
                          source: "Resellr", priceText: "USD \(dollars(used))", price: decimal(used), currency: "USD",
                          priceOutsideLink: false, viaRedirect: false),
            LensMatchSpec(title: "\(brand) \(name) review: worth it?", link: "http://designjournal.example/reviews/\(slug)",
                          source: "Design Journal", priceText: nil, price: nil, currency: nil,
                          priceOutsideLink: false, viaRedirect: true),
            LensMatchSpec(title: "\(brand) \(name) kaufen", link: "http://www.kaufhaus.example/de/\(slug).html",
                          source: "Kaufhaus Online", priceText: "EUR \(euros(eur + 500))", price: decimal(eur + 500), currency: "EUR",
                          priceOutsideLink: true, viaRedirect: true),
            LensMatchSpec(title: "\(brand) \(name) (Japan edition)", link: "http://tokyoselect.example/items/\(slug)",
                          source: "Tokyo Select", priceText: "¥\(grouped(yen, separator: ","))", price: "\(yen)", currency: "JPY",
                          priceOutsideLink: false, viaRedirect: false),
        ] + shopMatches(id: id)
    }

    /// The maker's own page (for most products) and some marketplace listings, from the shop
    /// catalog: what `producer-url` and `second-hand-offers` start from.
    static func shopMatches(id: String) -> [LensMatchSpec] {
        guard let entry = ShopCatalog.entry(id) else { return [] }
        var found: [LensMatchSpec] = []
        if entry.maker.inLensMatches {
            found.append(LensMatchSpec(title: entry.maker.title, link: entry.maker.url, source: entry.brand, priceText: nil,
                                       price: nil, currency: nil, priceOutsideLink: false, viaRedirect: true))
        }
        for listing in entry.listings where listing.inLensMatches {
            let symbol = listing.currency == "EUR" ? "€" : "$"
            let shown = listing.currency == "EUR" ? "\(listing.price.replacing(".", with: ",")) \(symbol)" : "\(symbol)\(listing.price)"
            let source = switch listing.marketplace {
            case .ebay: "eBay"
            case .vinted: "Vinted"
            case .kleinanzeigen: "Kleinanzeigen"
            }
            // eBay's cards carry its own click tracking, which the Lens stage drops like Google's.
            found.append(LensMatchSpec(title: listing.title, link: listing.url, source: source, priceText: shown, price: listing.price,
                                       currency: listing.currency, priceOutsideLink: false, viaRedirect: false,
                                       siteTracking: listing.marketplace == .ebay ? "_trkparms=lens&hash=item\(listing.itemID)" : nil))
        }
        return found
    }

    /// `1,299.00` from cents.
    static func dollars(_ cents: Int) -> String { "\(grouped(cents / 100, separator: ",")).\(twoDigits(cents % 100))" }
    /// `1.299,00` from cents.
    static func euros(_ cents: Int) -> String { "\(grouped(cents / 100, separator: ".")),\(twoDigits(cents % 100))" }
    static func decimal(_ cents: Int) -> String { "\(cents / 100).\(twoDigits(cents % 100))" }
    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func grouped(_ n: Int, separator: String) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
            out.append(d)
        }
        return out
    }
}
