import Foundation

/// The European Central Bank's euro reference rates (their daily XML,
/// `eurofxref-daily.xml`): how many units of each currency one euro buys, for one date.
public struct ExchangeRates: Sendable, Equatable {
    /// `YYYY-MM-DD`, as the ECB states it: reported beside every converted figure.
    public var date: String
    /// Currency → units per euro; `EUR` is 1.
    public var perEuro: [String: Double]

    public init(date: String, perEuro: [String: Double]) {
        self.date = date
        var table = perEuro
        table["EUR"] = 1
        self.perEuro = table
    }

    /// The ECB's document: `<Cube time='2026-11-27'>` around `<Cube currency='USD' rate='1.0543'/>`
    /// entries (either quote). Nil when it has no date or no rate.
    public static func parseECB(_ bytes: [UInt8]) -> ExchangeRates? {
        let text = String(decoding: bytes.prefix(1 << 20), as: UTF8.self)
        var date: String?
        var rates: [String: Double] = [:]
        var rest = text[...]
        while let open = rest.range(of: "<Cube") {
            guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[open.upperBound..<close]
            if let time = attribute("time", in: tag), time.count == 10 { date = date ?? time }
            if let currency = attribute("currency", in: tag), let rateText = attribute("rate", in: tag),
               let rate = Double(rateText), rate > 0, rate.isFinite, currency.count == 3, currency.allSatisfy({ $0.isUppercase })
            {
                rates[currency] = rate
            }
            rest = rest[close...]
        }
        guard let date, !rates.isEmpty else { return nil }
        return ExchangeRates(date: date, perEuro: rates)
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        for quote in ["'", "\""] {
            guard let start = tag.range(of: " \(name)=\(quote)") ?? tag.range(of: "\t\(name)=\(quote)") ?? tag.range(of: "\n\(name)=\(quote)")
            else { continue }
            let value = tag[start.upperBound...].prefix { String($0) != quote }
            return String(value)
        }
        return nil
    }

    /// What `PriceEstimator.rates` takes: the value of one unit of each currency in `base`.
    /// Nil when the ECB gives no rate for `base`.
    public func rates(in base: String) -> [String: Double]? {
        guard let basePerEuro = perEuro[base] else { return nil }
        return perEuro.mapValues { basePerEuro / $0 }
    }
}

/// The currency a country's prices are shown in, from the CLDR data ICU carries (a maintained
/// list, not one written here).
public enum CountryCurrency {
    public static func code(for country: String) -> String? {
        Locale(identifier: "und_\(country)").currency?.identifier
    }
}
