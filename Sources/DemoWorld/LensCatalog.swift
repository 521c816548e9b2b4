import JSON

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

/// The small catalog the offline Lens replica searches (`demo-catalog.json`). Photos are drawn from shapes, so nothing
/// binary ships with the source.
public enum LensCatalog {
    public static let products: [LensProduct] = drawings.map { drawing in
        let canvas = drawing.draw()
        return LensProduct(id: drawing.id, name: drawing.name, brand: drawing.brand, photo: canvas.png,
                           thumbnail: canvas.scaled(to: 32).png,
                           matches: matches(id: drawing.id, name: drawing.name, brand: drawing.brand, usd: drawing.usd))
    }

    public static func product(_ id: String) -> LensProduct? { products.first { $0.id == id } }

    /// A product as `demo-catalog.json` has it: names, price and how its sample photo is drawn.
    struct Drawing: Sendable {
        let id: String, name: String, brand: String
        /// Base price in US cents; other shops derive theirs from it.
        let usd: Int
        /// The photo: canvas size, gradient and shapes (`rect`, `ellipse`, `ring` in fractions of
        /// the canvas; `ean13` in pixels, printing the maker's GTIN).
        let photo: JSONValue
        /// The maker page's GTIN (what an `ean13` shape prints).
        let gtin: String

        init(_ product: JSONValue) {
            id = DemoCatalogFile.string(product["id"])
            name = DemoCatalogFile.string(product["name"])
            brand = DemoCatalogFile.string(product["brand"])
            usd = product["usd_cents"]?.intValue ?? 0
            photo = product["photo"] ?? .null
            gtin = DemoCatalogFile.string(product["maker"]?["gtin"])
        }

        var hasBarcode: Bool { photo["shapes"]?.arrayValue?.contains { $0["ean13"] != nil } == true }

        func draw() -> Canvas {
            var c = Canvas(width: photo["width"]?.intValue ?? 128, height: photo["height"]?.intValue ?? 128,
                           top: DemoCatalogFile.colour(photo["top"]), bottom: DemoCatalogFile.colour(photo["bottom"]))
            for shape in photo["shapes"]?.arrayValue ?? [] {
                let colour = DemoCatalogFile.colour(shape["colour"])
                func numbers(_ key: String) -> [Double]? {
                    let n = shape[key]?.arrayValue?.compactMap(\.doubleValue) ?? []
                    return n.count == 4 ? n : nil
                }
                if let n = numbers("rect") {
                    c.rect(n[0], n[1], n[2], n[3], colour)
                } else if let n = numbers("ellipse") {
                    c.ellipse(n[0], n[1], n[2], n[3], colour)
                } else if let n = numbers("ring") {
                    c.ring(n[0], n[1], n[2], n[3], colour, upperOnly: shape["upper_only"]?.boolValue ?? false)
                } else if let n = numbers("ean13")?.map({ Int($0) }) {
                    EAN13Bars.draw(gtin, on: &c, x: n[0], y: n[1], module: n[2], height: n[3])
                }
            }
            return c
        }
    }

    static let drawings: [Drawing] = DemoCatalogFile.products.map(Drawing.init)

    /// `nordlys-arc-desk-lamp` from a title.
    static func slug(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-")
    }

    /// The shops of `demo-catalog.json` with the price formats Lens cards show (symbol before or
    /// after, decimal comma, ISO code, zero-decimal yen, none at all), then the product's own shops.
    static func matches(id: String, name: String, brand: String, usd: Int) -> [LensMatchSpec] {
        let values = ["id": id, "name": name, "brand": brand, "slug": slug(brand + " " + name)]
        return DemoCatalogFile.lensShops.map { shop in
            let price = shop["price"].flatMap { $0.isNull ? nil : cardPrice($0, usd: usd) }
            return LensMatchSpec(title: DemoCatalogFile.fill(shop["title"], values), link: DemoCatalogFile.fill(shop["link"], values),
                                 source: DemoCatalogFile.string(shop["source"]), priceText: price?.text, price: price?.amount,
                                 currency: price?.currency, priceOutsideLink: shop["price_outside_link"]?.boolValue ?? false,
                                 viaRedirect: shop["via_redirect"]?.boolValue ?? false)
        } + shopMatches(id: id)
    }

    /// A card's price from a shop's price spec: `percent` of the US-cent price (plus `plus_cents`),
    /// written as `dollars` (1,299.00), `euros` (1.299,00) or whole `yen` (rounded down to 100).
    static func cardPrice(_ spec: JSONValue, usd: Int) -> (text: String, amount: String, currency: String) {
        let percent = spec["percent"]?.intValue ?? 100
        let currency = DemoCatalogFile.string(spec["currency"])
        func shown(_ amount: String) -> String { DemoCatalogFile.fill(spec["text"], ["amount": amount]) }
        let cents = usd * percent / 100 + (spec["plus_cents"]?.intValue ?? 0)
        switch spec["format"]?.stringValue {
        case "yen":
            let yen = usd * percent / 100 / 100 * 100
            return (shown(grouped(yen, separator: ",")), "\(yen)", currency)
        case "euros": return (shown(euros(cents)), decimal(cents), currency)
        default: return (shown(dollars(cents)), decimal(cents), currency)
        }
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
