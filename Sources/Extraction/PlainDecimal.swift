/// Machine-written decimals ("1299", "12.50", "1.2E3" is refused): schema.org prices are
/// supposed to look like this, and then "129.900" means 129.9, not 129900.
enum PlainDecimal {
    static func normalize(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces()
        var seenDot = false
        var digits = 0
        for character in trimmed {
            if character == "." {
                guard !seenDot, digits > 0 else { return nil }
                seenDot = true
            } else if character.isASCII, character.isNumber {
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0, !trimmed.hasSuffix("."), digits <= PriceNumberToken.maxDigits else { return nil }
        let integer = String(trimmed.prefix(while: { $0 != "." })).trimmingLeadingZeros()
        let fraction = trimmed.drop(while: { $0 != "." })
        return (integer.isEmpty ? "0" : integer) + fraction
    }
}
