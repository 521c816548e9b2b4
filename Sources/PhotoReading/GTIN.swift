/// GS1 numbers as retail barcodes carry them: check digits and the one 14-digit form that
/// compares an EAN-13, a UPC-A, a UPC-E and an EAN-8 of the same thing.
public enum GTIN {
    /// Whether `digits` (8, 12, 13 or 14 of them) ends in the right GS1 mod-10 check digit.
    public static func checkDigitIsValid(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == digits.count, [8, 12, 13, 14].contains(values.count), let last = values.last else { return false }
        return checkDigit(for: values.dropLast()) == last
    }

    /// The check digit for the digits before it: weights 3 and 1 from the right.
    static func checkDigit<C: Collection>(for body: C) -> Int where C.Element == Int {
        var sum = 0
        for (offset, digit) in body.reversed().enumerated() { sum += digit * (offset % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10
    }

    /// UPC-E (8 digits: number system, six data digits, check) written out as its UPC-A
    /// (12 digits), or nil when it is not a valid UPC-E.
    public static func expandUPCE(_ upce: String) -> String? {
        let d = upce.compactMap(\.wholeNumberValue)
        guard d.count == 8, d.count == upce.count, d[0] == 0 || d[0] == 1 else { return nil }
        let m = Array(d[1...6])
        var body: [Int]
        switch m[5] {
        case 0, 1, 2: body = [m[0], m[1], m[5], 0, 0, 0, 0, m[2], m[3], m[4]]
        case 3: body = [m[0], m[1], m[2], 0, 0, 0, 0, 0, m[3], m[4]]
        case 4: body = [m[0], m[1], m[2], m[3], 0, 0, 0, 0, 0, m[4]]
        default: body = [m[0], m[1], m[2], m[3], m[4], 0, 0, 0, 0, m[5]]
        }
        body.insert(d[0], at: 0)
        guard checkDigit(for: body) == d[7] else { return nil }
        return (body + [d[7]]).map(String.init).joined()
    }

    /// The zero-padded 14-digit form of a valid GTIN-8/12/13/14 (spaces and dashes ignored),
    /// or nil. A UPC-E is expanded with `expandUPCE` first: its 8 digits are not an EAN-8.
    public static func normalized(_ digits: String) -> String? {
        let trimmed = digits.filter { $0 != " " && $0 != "-" }
        guard checkDigitIsValid(trimmed) else { return nil }
        return String(repeating: "0", count: 14 - trimmed.count) + trimmed
    }

    /// Whether a 13-digit EAN is a book's ISBN (Bookland prefixes 978 and 979).
    public static func isISBN(_ ean13: String) -> Bool {
        ean13.count == 13 && (ean13.hasPrefix("978") || ean13.hasPrefix("979"))
    }
}
