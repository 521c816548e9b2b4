/// Finds number tokens and currency texts in price text that has been through `normalize`.
enum PriceTextScanner {
    /// Spaces of every kind become one ASCII space (runs collapse), and full-width and
    /// Arabic-Indic digits become ASCII digits, so later rules see one alphabet.
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            var mapped = scalar
            switch scalar.value {
            case 0xFF10...0xFF19: mapped = Unicode.Scalar(scalar.value - 0xFF10 + 0x30) ?? scalar
            case 0x0660...0x0669: mapped = Unicode.Scalar(scalar.value - 0x0660 + 0x30) ?? scalar
            case 0x06F0...0x06F9: mapped = Unicode.Scalar(scalar.value - 0x06F0 + 0x30) ?? scalar
            case 0xFF0C: mapped = ","
            case 0xFF0E: mapped = "."
            case 0x2019, 0x02BC: mapped = "’"
            default:
                if scalar.properties.isWhitespace || scalar.value == 0x200B { mapped = " " }
            }
            if mapped == " ", out.last == " " { continue }
            out.append(mapped)
        }
        return out
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    static func isMark(_ s: Unicode.Scalar) -> Bool { s == "." || s == "," }

    /// Number tokens in order of appearance. `hint` is a caller-supplied decimal separator
    /// that may be a symbol ("140€33").
    static func numberTokens(in s: [Unicode.Scalar], decimalHint hint: Unicode.Scalar?) -> [PriceNumberToken] {
        let euroIsSeparator = hint == "€" || (hint == nil && s.filter { $0 == "€" }.count == 1)
        var tokens: [PriceNumberToken] = []
        var i = 0
        while i < s.count {
            var groups: [String] = []
            var separators: [Unicode.Scalar] = []
            let start = i
            // A leading decimal mark: ".75", "$..75" (a run of marks counts as one).
            if isMark(s[i]) || s[i] == hint, i == 0 || !isDigit(s[i - 1]) {
                var j = i
                while j < s.count, j - i < 2, isMark(s[j]) || s[j] == hint { j += 1 }
                guard j < s.count, isDigit(s[j]) else { i += 1; continue }
                groups.append("")
                separators.append(s[j - 1])
                i = j
            } else if !isDigit(s[i]) {
                i += 1
                continue
            }
            while true {
                var digits = ""
                while i < s.count, isDigit(s[i]) { digits.unicodeScalars.append(s[i]); i += 1 }
                groups.append(digits)
                let afterMark = separators.contains { isMark($0) }
                guard let (separator, next) = separator(at: i, in: s, lastGroup: digits, afterMark: afterMark,
                                                        hint: hint, euro: euroIsSeparator)
                else { break }
                separators.append(separator)
                i = next
            }
            tokens.append(PriceNumberToken(start: start, end: i, groups: groups, separators: separators))
        }
        return tokens
    }

    /// The separator at `i` and where the next digit group starts, if `s[i]` continues the number.
    private static func separator(at i: Int, in s: [Unicode.Scalar], lastGroup: String, afterMark: Bool,
                                  hint: Unicode.Scalar?, euro: Bool) -> (Unicode.Scalar, Int)? {
        guard i + 1 < s.count else { return nil }
        let c = s[i]
        func digitRun(from k: Int) -> Int {
            var n = 0
            while k + n < s.count, isDigit(s[k + n]) { n += 1 }
            return n
        }
        if let hint, c == hint, hint != "€" {
            return isDigit(s[i + 1]) ? (c, i + 1) : nil
        }
        switch c {
        case ".", ",":
            if isDigit(s[i + 1]) { return (c, i + 1) }
            // "392. 00", "130, 38": a stray space after the decimal mark.
            if s[i + 1] == " ", digitRun(from: i + 2) == 2 { return (c, i + 2) }
        case "'", "’":
            if isDigit(s[i + 1]) { return (c, i + 1) }
        case " ":
            // A space groups thousands only before exactly three digits ("1 299", "120 000 000"),
            // and never after a decimal mark ("$2.00 100 - $2.75" is two numbers).
            if !afterMark, lastGroup.count <= 3, digitRun(from: i + 1) == 3 { return (c, i + 1) }
        case "€" where euro:
            let run = digitRun(from: i + 1)
            if run == 2 || (hint == "€" && run > 0) { return (c, i + 1) }
            // "35€ 99": cents set apart after the euro sign.
            if s[i + 1] == " ", digitRun(from: i + 2) == 2 { return (c, i + 2) }
        default:
            break
        }
        return nil
    }

    struct CurrencyMatch {
        var start: Int
        var end: Int
        var text: String
        var entry: CurrencyTable.Entry
    }

    /// Currency texts, longest match at each position; letters must not run on into a word.
    static func currencies(in s: [Unicode.Scalar]) -> [CurrencyMatch] {
        var matches: [CurrencyMatch] = []
        var i = 0
        while i < s.count {
            guard let candidates = CurrencyTable.byFirstScalar[s[i]] else { i += 1; continue }
            var found: CurrencyMatch?
            for candidate in candidates where i + candidate.scalars.count <= s.count {
                let end = i + candidate.scalars.count
                guard s[i..<end].elementsEqual(candidate.scalars) else { continue }
                if let first = candidate.scalars.first, first.properties.isAlphabetic, i > 0,
                   s[i - 1].properties.isAlphabetic { continue }
                if let last = candidate.scalars.last, last.properties.isAlphabetic, end < s.count,
                   s[end].properties.isAlphabetic { continue }
                // Lower-case codes ("pln") count only right next to a number.
                if candidate.entry.text != String(String.UnicodeScalarView(candidate.scalars)),
                   !touchesDigit(s, start: i, end: end) { continue }
                var text = ""
                text.unicodeScalars.append(contentsOf: s[i..<end])
                found = CurrencyMatch(start: i, end: end, text: text, entry: candidate.entry)
                break
            }
            if let found {
                matches.append(found)
                i = found.end
            } else {
                i += 1
            }
        }
        return matches
    }

    static func touchesDigit(_ s: [Unicode.Scalar], start: Int, end: Int) -> Bool {
        var before = start - 1
        while before >= 0, s[before] == " " { before -= 1 }
        var after = end
        while after < s.count, s[after] == " " { after += 1 }
        return (before >= 0 && isDigit(s[before])) || (after < s.count && isDigit(s[after]))
    }
}
