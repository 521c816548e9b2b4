/// Words around numbers that tell a price from something else, in the languages shops use.
enum PriceWords {
    static let free: Set<String> = ["free", "gratis", "kostenlos", "gratuit", "gratuito", "бесплатно", "darmowy"]

    /// Labels of a crossed-out or reference price that precede the price they label.
    static let oldPriceLabels: [String] = [
        "was", "statt", "before", "regular", "reg", "list", "rrp", "uvp", "msrp", "old", "avant",
        "prima", "antes", "zuvor", "vorher", "originally", "compare at", "retail", "listprice",
    ]

    /// Units that make a number a measurement when no currency is in sight.
    static let units: Set<String> = [
        "ft", "cm", "mm", "km", "kg", "mg", "ml", "oz", "lb", "lbs", "in", "inch", "inches", "gb",
        "tb", "mb", "mah", "w", "kw", "v", "hz", "ghz", "mhz", "px", "dpi", "pcs", "pack", "x",
    ]

    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "januar", "februar", "märz", "mai", "juni", "juli", "oktober",
        "dezember", "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ]

    /// The word ending just before `position` (skipping spaces and punctuation), lower-cased.
    static func word(before position: Int, in s: [Unicode.Scalar], skipping skip: (Unicode.Scalar) -> Bool) -> String {
        var end = position
        while end > 0, skip(s[end - 1]) { end -= 1 }
        var start = end
        while start > 0, s[start - 1].properties.isAlphabetic { start -= 1 }
        var word = ""
        word.unicodeScalars.append(contentsOf: s[start..<end])
        return word.lowercased()
    }

    static func word(after position: Int, in s: [Unicode.Scalar]) -> String {
        var start = position
        while start < s.count, s[start] == " " { start += 1 }
        var end = start
        while end < s.count, s[end].properties.isAlphabetic { end += 1 }
        var word = ""
        word.unicodeScalars.append(contentsOf: s[start..<end])
        return word.lowercased()
    }

    /// True when the few words before `position` (and its currency symbol) label an old price.
    static func isOldPriceLabel(before position: Int, in s: [Unicode.Scalar]) -> Bool {
        let lower = max(0, position - 16)
        var window = ""
        window.unicodeScalars.append(contentsOf: s[lower..<position])
        let words = window.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        guard let last = words.last else { return false }
        return oldPriceLabels.contains(last)
    }

    static let rangeConnectors: Set<String> = ["to", "bis", "à", "a", "до", "tot", "till", "al", "-", "–", "—", "~"]

    /// True when only a range word or dash (and spaces) lies between two positions.
    static func isRangeConnector(from start: Int, to end: Int, in s: [Unicode.Scalar]) -> Bool {
        guard start < end, end - start <= 8 else { return false }
        var between = ""
        between.unicodeScalars.append(contentsOf: s[start..<end])
        let trimmed = between.trimmingSpaces().lowercased()
        return rangeConnectors.contains(trimmed)
    }

    static func isYearAfterMonth(_ token: PriceNumberToken, in s: [Unicode.Scalar]) -> Bool {
        guard token.groups.count == 1, let year = Int(token.groups[0]), (1900...2100).contains(year) else { return false }
        let previous = word(before: token.start, in: s) { $0 == " " || $0 == "," || $0 == "." }
        return months.contains(previous)
    }

    static func isMeasurement(after position: Int, in s: [Unicode.Scalar]) -> Bool {
        let next = word(after: position, in: s)
        return units.contains(next) && !(next.count == 1 && position < s.count && s[position] == " ")
    }
}
