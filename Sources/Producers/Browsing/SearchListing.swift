import Extraction
import JSON

/// One marketplace listing as its search results page shows it: the price (a range kept as a
/// range), shipping, condition from the condition field (not a seller's promotion), and whether
/// it sold (and when) or ended unsold.
public struct SearchListing: Sendable, Equatable {
    public var title: String
    public var link: String
    /// Decimal string; the low end of a range.
    public var price: String?
    /// The high end of a range ("$20.00 to $35.00"); nil for a single price.
    public var priceMax: String?
    public var currency: String?
    /// Decimal string, `"0.00"` for free; nil where not shown.
    public var shipping: String?
    /// Normalised (PROTOCOL.md); nil when no condition was shown.
    public var condition: String?
    /// The condition as the page words it.
    public var wear: String?
    public var sold: Bool
    /// ISO date `YYYY-MM-DD` where the page shows it.
    public var soldDate: String?
    /// Ended without selling: neither an offer nor a sale.
    public var ended: Bool
    public var thumbnail: String?
    /// The marketplace's own id of the item, where an API gives it.
    public var itemID: String? = nil
    /// Where the listing came from when not a results page read in the browser (an API provider's name).
    public var provider: String? = nil
    /// The site shows it as a looser match ("Results matching fewer words"): never the product for sure.
    public var partialMatch: Bool

    public init(_ hit: SearchHit) {
        partialMatch = hit.partialMatch
        title = hit.title
        link = LensLinks.stripTracking(hit.link)
        thumbnail = hit.thumbnail
        let mark = SoldMark(hit.soldText ?? "")
        sold = mark.sold
        ended = mark.ended
        soldDate = mark.date
        let market = MarketplaceCatalog.marketplace(for: hit.link)
        let prices = MoneyText.amounts(in: hit.priceText ?? "")
        if let first = prices.first {
            price = first.amount
            currency = first.currency
            if prices.count >= 2, MoneyText.isRange(hit.priceText ?? ""), prices[1].currency == first.currency {
                priceMax = prices[1].amount
            }
        }
        shipping = hit.shippingText.flatMap { MoneyText.shipping($0, currency: currency) }
        // The condition field may hold several lines (a seller's promotion beside the condition)
        // and several facts a line ("Pre-owned · 256 GB", "Taille unique · Très bon état"): the
        // last line with a part that reads as a condition holds it.
        search: for line in (hit.wear ?? "").split(separator: "\n").reversed() {
            for part in line.split(separator: "·").map({ String($0).trimmed }) where !part.isEmpty {
                let normalised = market?.condition(of: part) ?? ConditionWords.normalize(part)
                if normalised != "unknown" {
                    wear = part
                    condition = normalised
                    break search
                }
            }
        }
    }

    /// The `search` command's listing object: every key present, null where unknown; an API's
    /// listing adds `item_id`, `thumbnail` and `provider`.
    public var json: JSONValue {
        var object: JSONObject = [
            "title": .string(title), "link": .string(link), "price": .optional(price), "price_max": .optional(priceMax),
            "currency": .optional(currency), "shipping": .optional(shipping), "condition": .optional(condition),
            "wear": .optional(wear), "sold": .bool(sold), "sold_date": .optional(soldDate),
            "partial_match": .bool(partialMatch),
        ]
        if let provider {
            object["item_id"] = .optional(itemID)
            object["thumbnail"] = .optional(thumbnail)
            object["provider"] = .string(provider)
        }
        return .object(object)
    }
}

/// Conditions without a marketplace to ask (a link on an unknown site).
enum ConditionWords {
    static func normalize(_ text: String) -> String {
        ConditionNormalizer.normalize(text).rawValue
    }
}

/// Money inside a longer text: "$20.00 to $35.00", "3,858 円～13,507 円", "+EUR 4,99 Versand",
/// "+$167.46 delivery by Sat, Nov 1" (the date's digits are not the price).
enum MoneyText {
    /// A currency mark beside a number, in either order. (Built per use: a `Regex` is not Sendable.)
    static var token: Regex<AnyRegexOutput>? { try? Regex(
        #"(?:US\s?\$|CA?\s?\$|AU?\s?\$|[$€£¥₹]|\b(?:EUR|USD|GBP|JPY|CHF|CAD|AUD|PLN|SEK|NOK|DKK|CZK|HUF|INR)\b)\s?\d[\d.,\u00A0\u202F ]*\d?|\d[\d.,\u00A0\u202F ]*\d?\s?(?:€|円|£|zł|\b(?:EUR|USD|GBP|JPY|CHF|PLN|SEK|NOK|DKK|CZK|HUF)\b)"#) }

    static func amounts(in text: String) -> [(amount: String, currency: String)] {
        guard let token else { return [] }
        return text.matches(of: token).compactMap { match in
            let piece = String(text[match.range]).replacing("円", with: " JPY").replacing("zł", with: " PLN")
            return PriceText.parse(piece)
        }
    }

    /// Two prices joined by "to", "bis", "à", "～", "-".
    static func isRange(_ text: String) -> Bool {
        let lowered = " " + text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") + " "
        return [" to ", " bis ", " à ", " a ", "～", "~", " - ", "–", " al "].contains { lowered.contains($0) }
    }

    static let freeWords = ["free", "kostenlos", "gratis", "無料", "gratuit", "gratuita", "gratuito", "darmowa", "gratuite"]

    /// "+$5.99 delivery" → "5.99"; "Free shipping" → "0.00"; nil when it names no cost.
    static func shipping(_ text: String, currency: String?) -> String? {
        let lowered = text.lowercased()
        if freeWords.contains(where: { lowered.contains($0) }) { return PriceText.zeroDecimal.contains(currency ?? "") ? "0" : "0.00" }
        guard let first = amounts(in: text).first else { return nil }
        return first.amount
    }
}

/// A listing's sold (or ended) mark: "Sold  Mar 6, 2026", "販売済み  Jan 8, 2026", "Verkauft 5. Mär 2026".
struct SoldMark {
    var sold = false
    var ended = false
    var date: String?

    static let soldWords = ["sold", "verkauft", "販売済み", "vendu", "venduto", "vendido", "verkocht", "sprzedan"]
    static let endedWords = ["ended", "beendet", "終了", "terminé", "terminata", "finalizado"]

    init(_ text: String) {
        let lowered = text.lowercased()
        guard !lowered.isEmpty else { return }
        if SoldMark.soldWords.contains(where: { lowered.contains($0) }) {
            sold = true
        } else if SoldMark.endedWords.contains(where: { lowered.contains($0) }) {
            ended = true
        }
        if sold || ended { date = SoldMark.isoDate(lowered) }
    }

    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        "mär": 3, "mai": 5, "okt": 10, "dez": 12, "janv": 1, "févr": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "août": 8,
        "sept": 9, "déc": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12, "ene": 1,
        "abr": 4,
    ]

    /// "mar 6, 2026", "6. mär 2026", "06.03.2026", "2026/03/06" → "2026-03-06".
    static func isoDate(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "." || $0 == "/" || $0 == "-" || $0 == "年" || $0 == "月" || $0 == "日" })
            .map(String.init)
        var day: Int?, month: Int?, year: Int?
        for word in words {
            if let number = Int(word) {
                if number >= 1900 && number < 2200 { year = number } else if number >= 1 && number <= 31 {
                    if day == nil { day = number } else if month == nil, let first = day, first <= 12, year != nil {
                        // 2026/03/06: the first small number was the month
                        month = first
                        day = number
                    } else if month == nil && number <= 12 { month = number }
                }
            } else if month == nil, let found = months[String(word.prefix(4))] ?? months[String(word.prefix(3))] {
                month = found
            }
        }
        guard let day, let month, let year else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}

extension String {
    var trimmed: String { String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()) }
}
