/// Reads an amount and a currency from price text in any common locale: "$1,234.56",
/// "1.234,56 €", "EUR 12,-", "£1 299", "¥1,200", "R$ 1.299,00", "from $24.95", "£6.95 - £9.95".
///
/// The rules, in order: a number right next to a currency text wins over a bare number (so
/// "3 issues for 14,85 EUR" reads 14.85), an old price flagged "was"/"statt"/... loses to a
/// later one, percentages, dates and measurements are not prices, and of several candidates
/// the first one counts (the low end of a range). Which mark is decimal is decided per number:
/// the last of two different marks, or a lone mark unless exactly three digits follow it.
public enum PriceParser {
    public struct Options: Sendable {
        /// Text that names the currency when the price text itself may not (a separate
        /// element, a column header), or an ISO code.
        public var currencyHint: String?
        /// The decimal separator when the caller knows it: ".", "," or a symbol such as "€".
        public var decimalSeparator: Character?
        /// ISO code the page is known to use; settles "$", "¥", "kr" and the like.
        public var defaultCurrency: String?

        public init(currencyHint: String? = nil, decimalSeparator: Character? = nil, defaultCurrency: String? = nil) {
            self.currencyHint = currencyHint
            self.decimalSeparator = decimalSeparator
            self.defaultCurrency = defaultCurrency
        }
    }

    /// Longer texts are descriptions, not prices; reading them costs time and finds noise.
    public static let maxTextLength = 1_000

    public static func parse(_ text: String, options: Options = Options()) -> ParsedPrice {
        let scalars = PriceTextScanner.normalize(String(text.unicodeScalars.prefix(maxTextLength)))
        let hint = options.decimalSeparator.flatMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first : nil }
        let currencies = PriceTextScanner.currencies(in: scalars)
        let tokens = PriceTextScanner.numberTokens(in: scalars, decimalHint: hint)
        let candidates = tokens.filter { isPriceLike($0, in: scalars, currencies: currencies) }

        var result = ParsedPrice()
        let chosen = choose(candidates, in: scalars, currencies: currencies, hint: hint)
        if let chosen {
            result.amount = chosen.amount
        } else if isFree(scalars) {
            result.amount = "0"
        }
        let anchor = chosen?.token.start ?? 0
        if let match = currencies.min(by: { distance($0, anchor) < distance($1, anchor) }) {
            result.currencyText = match.text
            result.currency = CurrencyTable.resolve(match.entry, hint: options.defaultCurrency)
        } else if let currencyHint = options.currencyHint {
            let hintScalars = PriceTextScanner.normalize(currencyHint)
            if let match = PriceTextScanner.currencies(in: hintScalars).first {
                result.currencyText = match.text
                result.currency = CurrencyTable.resolve(match.entry, hint: options.defaultCurrency)
            }
        }
        return result
    }

    private static func distance(_ match: PriceTextScanner.CurrencyMatch, _ position: Int) -> Int {
        match.start >= position ? match.start - position : position - match.end
    }

    private static func choose(_ tokens: [PriceNumberToken], in s: [Unicode.Scalar],
                               currencies: [PriceTextScanner.CurrencyMatch],
                               hint: Unicode.Scalar?) -> (token: PriceNumberToken, amount: String)? {
        let readable = tokens.compactMap { token in token.amount(decimalSeparator: hint).map { (token, $0) } }
        let nextToCurrency = readable.filter { item in
            currencies.contains { adjacent($0, item.0, in: s) }
        }
        // "Was $120.00 Now $60.00": skip the labelled old price, unless what follows is a zero
        // placeholder ("Was: $124.95 Now: $0.00").
        let current = nextToCurrency.first(where: { item in
            !PriceWords.isOldPriceLabel(before: item.0.start, in: s)
        })
        var pick = current.flatMap { DecimalText.isZero($0.1) ? nil : $0 } ?? nextToCurrency.first
        // "From 26 to 50 €": the bare number opening a range shares the currency.
        if let chosen = pick, let opener = readable.last(where: { $0.0.end <= chosen.0.start }),
           PriceWords.isRangeConnector(from: opener.0.end, to: chosen.0.start, in: s),
           !nextToCurrency.contains(where: { $0.0 == opener.0 }) {
            pick = opener
        }
        return pick ?? readable.first
    }

    /// Currency and number separated by nothing but spaces and a colon ("EUR: 12", "12 €").
    private static func adjacent(_ match: PriceTextScanner.CurrencyMatch, _ token: PriceNumberToken,
                                 in s: [Unicode.Scalar]) -> Bool {
        let gap = match.end <= token.start ? s[match.end..<token.start] : token.end <= match.start ? s[token.end..<match.start] : []
        return gap.count <= 3 && gap.allSatisfy { $0 == " " || $0 == ":" }
    }

    private static func isPriceLike(_ token: PriceNumberToken, in s: [Unicode.Scalar],
                                    currencies: [PriceTextScanner.CurrencyMatch]) -> Bool {
        var after = token.end
        while after < s.count, s[after] == " " { after += 1 }
        if after < s.count, s[after] == "%" { return false }
        // "Orders $49+": a threshold, not a price.
        if token.end < s.count, s[token.end] == "+" { return false }
        // "25-09", "2019/10": joined to another number by a dash or slash, a date or a code.
        if token.end + 1 < s.count, s[token.end] == "-" || s[token.end] == "/",
           PriceTextScanner.isDigit(s[token.end + 1]) { return false }
        if token.start >= 2, s[token.start - 1] == "-" || s[token.start - 1] == "/",
           PriceTextScanner.isDigit(s[token.start - 2]) { return false }
        if PriceWords.isYearAfterMonth(token, in: s) { return false }
        if currencies.isEmpty, PriceWords.isMeasurement(after: token.end, in: s) { return false }
        return true
    }

    private static func isFree(_ s: [Unicode.Scalar]) -> Bool {
        var text = ""
        text.unicodeScalars.append(contentsOf: s.filter { $0.properties.isAlphabetic })
        return PriceWords.free.contains(text.lowercased())
    }
}
