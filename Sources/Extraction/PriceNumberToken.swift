/// A run of digits and separators in price text, before deciding which separator is the
/// decimal one. `groups` are the digit runs (the first may be empty for ".75"); `separators`
/// sit between consecutive groups.
struct PriceNumberToken: Equatable {
    var start: Int
    var end: Int
    var groups: [String]
    var separators: [Unicode.Scalar]

    /// Longer runs are identifiers (order numbers, barcodes), not prices.
    static let maxDigits = 24

    /// The amount as a decimal string, or nil when the separators cannot form a number
    /// ("15.08.2017" has '.' as a grouping mark followed by a two-digit group).
    func amount(decimalSeparator hint: Unicode.Scalar?) -> String? {
        guard groups.joined().count <= Self.maxDigits else { return nil }
        // A leading mark followed by more marks is noise ("$.750.30" is 750.30).
        if hint == nil, groups.count > 2, groups[0].isEmpty, separators.dropFirst().contains(where: { $0 == "." || $0 == "," }) {
            var rest = self
            rest.groups.removeFirst()
            rest.separators.removeFirst()
            return rest.amount(decimalSeparator: nil)
        }
        guard let decimalIndex = decimalSeparatorIndex(hint: hint) else {
            return validGrouping(upTo: separators.count) ? Self.render(groups, []) : nil
        }
        if hint == nil, !validGrouping(upTo: decimalIndex) { return nil }
        return Self.render(Array(groups[...decimalIndex]), Array(groups[(decimalIndex + 1)...]))
    }

    /// Index into `separators` of the decimal separator, if any.
    private func decimalSeparatorIndex(hint: Unicode.Scalar?) -> Int? {
        if let hint { return separators.lastIndex(of: hint) }
        if let euro = separators.lastIndex(of: "€") { return euro }
        let marks = separators.indices.filter { separators[$0] == "." || separators[$0] == "," }
        guard let last = marks.last else { return nil }
        if groups[0].isEmpty && marks.count == 1 { return last }  // ".75"
        let kinds = Set(marks.map { separators[$0] })
        if kinds.count > 1 { return last }  // "1.234,56" and "1,234.56": the last one is decimal
        if marks.count > 1 { return nil }   // "1.144.000": one mark used repeatedly groups thousands
        // A single mark followed by exactly three digits groups thousands ("129.900"),
        // except after a lone zero ("0.500") where grouping makes no sense.
        let after = groups[last + 1]
        if after.count == 3 && groups[...last].joined().trimmingLeadingZeros() != "" { return nil }
        return last
    }

    /// Grouping separators must be followed by three-digit groups; Indian grouping
    /// ("1,23,456") also uses two-digit groups before the last one.
    private func validGrouping(upTo end: Int) -> Bool {
        for index in 0..<end {
            let separator = separators[index]
            let next = groups[index + 1]
            if separator == "€" { continue }
            if next.count == 3 { continue }
            if separator == ",", next.count == 2, index + 1 < end, groups[index + 2].count >= 2 { continue }
            if groups[index].isEmpty { continue }  // a stray leading mark ("$..75")
            return false
        }
        return true
    }

    private static func render(_ integerGroups: [String], _ fractionGroups: [String]) -> String {
        let integer = integerGroups.joined().trimmingLeadingZeros()
        let fraction = fractionGroups.joined()
        let whole = integer.isEmpty ? "0" : integer
        return fraction.isEmpty ? whole : whole + "." + fraction
    }
}

extension String {
    func trimmingLeadingZeros() -> String {
        String(drop(while: { $0 == "0" }))
    }
}
