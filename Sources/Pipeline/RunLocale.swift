/// The country and language a run answers for: chosen per request (multipart fields, query
/// parameters or `Accept-Language`), else the deployment's defaults. Stages read it from
/// `StageContext.image.locale` (visual-search locale, marketplaces, the estimate's currency).
public struct RunLocale: Sendable, Equatable, CustomStringConvertible {
    /// ISO 3166-1 alpha-2, upper case (`US`, `DE`).
    public var country: String
    /// A BCP 47 language tag as Google takes it: primary subtag lower case, an optional region
    /// upper case (`en`, `de`, `pt-BR`).
    public var language: String

    public init(country: String, language: String) {
        self.country = country
        self.language = language
    }

    public static let fallback = RunLocale(country: "US", language: "en")

    public var description: String { "\(language)-\(country)" }

    /// `de`, `DE`, `de` … from user input: nil unless it is two letters.
    public static func country(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces
        guard trimmed.utf8.count == 2, trimmed.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return nil }
        return trimmed.uppercased()
    }

    /// `de`, `de-DE`, `pt_br`, `zh-Hant` … from user input: nil unless it is a language tag
    /// of 2–3 letters with an optional 2–4 letter region or script.
    public static func language(_ text: String) -> String? {
        let parts = text.trimmingSpaces.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "_" }
        guard (1...2).contains(parts.count) else { return nil }
        func letters(_ s: Substring, _ range: ClosedRange<Int>) -> Bool {
            range.contains(s.utf8.count) && s.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        }
        guard letters(parts[0], 2...3) else { return nil }
        var tag = parts[0].lowercased()
        if parts.count == 2 {
            guard letters(parts[1], 2...4) else { return nil }
            tag += "-" + (parts[1].count == 2 ? parts[1].uppercased() : parts[1].prefix(1).uppercased() + parts[1].dropFirst().lowercased())
        }
        return tag
    }

    /// The first usable language range of an `Accept-Language` header (highest q first; `*`
    /// ignored), with the region it names if any: `de-DE,de;q=0.9` → ("de-DE", "DE").
    public static func acceptLanguage(_ header: String) -> (language: String, country: String?)? {
        var best: (tag: String, q: Double)?
        for item in header.split(separator: ",") {
            let fields = item.split(separator: ";")
            guard let range = fields.first.map({ String($0).trimmingSpaces }), range != "*", language(range) != nil else { continue }
            var q = 1.0
            for field in fields.dropFirst() {
                let kv = field.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingSpaces == "q", let value = Double(kv[1].trimmingSpaces) { q = value }
            }
            if q > 0, q > (best?.q ?? -1) { best = (range, q) }
        }
        guard let tag = best?.tag, let normal = language(tag) else { return nil }
        let region = normal.split(separator: "-").dropFirst().first.flatMap { $0.count == 2 ? String($0) : nil }
        return (normal, region)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
