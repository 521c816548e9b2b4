/// Reads a price badge as Lens shows it (`$1,299.00`, `89,99 €`, `EUR 1.234,56`, `¥21,000`,
/// `US$ 45`) into a decimal string and an ISO 4217 code.
public enum PriceText {
    static let symbols: [(String, String)] = [
        ("US$", "USD"), ("CA$", "CAD"), ("A$", "AUD"), ("NZ$", "NZD"), ("HK$", "HKD"),
        ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"),
    ]
    static let codes: Set<String> = [
        "USD", "EUR", "GBP", "JPY", "INR", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "CNY",
        "HKD", "SGD", "BRL", "MXN", "TRY", "ZAR",
    ]
    /// Currencies written without minor units.
    static let zeroDecimal: Set<String> = ["JPY", "HUF"]

    public static func parse(_ text: String) -> (amount: String, currency: String)? {
        let compact = text.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{202F}" }
        var currency: String?
        for (symbol, code) in symbols where compact.contains(symbol) {
            currency = code
            break
        }
        if currency == nil {
            let letters = String(compact.filter { $0.isLetter }).uppercased()
            currency = codes.first { letters.contains($0) }
        }
        guard let currency else { return nil }
        let number = compact.filter { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
        guard let amount = amount(number, currency: currency) else { return nil }
        return (amount, currency)
    }

    /// The decimal mark is the last `.` or `,` when two or fewer digits follow it (or when both
    /// marks appear); a single mark followed by exactly three digits groups thousands.
    static func amount(_ number: String, currency: String) -> String? {
        let trimmed = number.trimmingCharacters(where: { $0 == "." || $0 == "," })
        guard !trimmed.isEmpty, trimmed.contains(where: \.isNumber) else { return nil }
        var integer = trimmed
        var fraction = ""
        if let last = trimmed.lastIndex(where: { $0 == "." || $0 == "," }) {
            let after = trimmed[trimmed.index(after: last)...]
            let mark = trimmed[last]
            let marks = Set(trimmed.filter { $0 == "." || $0 == "," })
            let isDecimal = marks.count == 2 || (trimmed.filter { $0 == mark }.count == 1 && after.count != 3)
            if isDecimal {
                integer = String(trimmed[..<last])
                fraction = String(after)
            }
        }
        integer = integer.filter(\.isNumber)
        guard !integer.isEmpty, let whole = Int(integer) else { return nil }
        if zeroDecimal.contains(currency) { return String(whole) }
        let cents = fraction.count >= 2 ? String(fraction.prefix(2)) : fraction + String(repeating: "0", count: 2 - fraction.count)
        return "\(whole).\(cents)"
    }
}

extension StringProtocol {
    func trimmingCharacters(where drop: (Character) -> Bool) -> String {
        String(self.drop(while: drop).reversed().drop(while: drop).reversed())
    }
}
