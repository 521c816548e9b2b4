/// How many of the item a title offers: pack and count words in the languages listings use
/// ("4 Count Box", "12 Bars", "12ct", "2er Pack", "pack of 6", "lot of 3", "x2", "3 Stück").
/// A 12-count box and a 4-count box of the same bar are different products to a buyer, and a
/// lot of three is not one item: the offers filter compares this count with the identity's own.
enum QuantityWords {
    /// Where the count came from: several of the item in one listing (`lot of 3`, `x2`), or the
    /// size of the product's own pack (`12 count`, `6-pack`).
    enum Kind: Sendable, Equatable {
        case multiplier
        case pack
    }

    struct Quantity: Sendable, Equatable {
        /// Several of the item in one listing ("lot of 3", "x2"); nil: none said.
        var multiplier: Int?
        /// The size of the product's own pack ("12 count"); nil: none said.
        var pack: Int?
        /// Items in all: a multiplier times a pack ("2 x 12 Count" is 24).
        var total: Int { (multiplier ?? 1) * (pack ?? 1) }
    }

    /// Words that count what comes before them ("12 bars", "6 pack", "4 count").
    static let countedNouns: Set<String> = [
        "count", "ct", "cnt", "pack", "pk", "pks", "packs", "pc", "pcs", "piece", "pieces", "bar", "bars", "unit", "units",
        "can", "cans", "bottle", "bottles", "bag", "bags", "pouch", "pouches", "stick", "sticks", "cookie", "cookies",
        "packet", "packets", "sachet", "sachets", "serving", "servings", "capsule", "capsules", "pod", "pods",
        "stück", "stk", "riegel", "dosen", "flaschen", "beutel", "packungen", "er", "erpack", "er-pack",
        "pièces", "barres", "unités", "pezzi", "barrette", "unidades", "barritas", "stuks", "repen", "個", "本", "袋", "個入", "本入",
    ]
    /// Words before a count that make it one ("pack of 6", "lot of 3", "box of 12").
    static let countingPhrases: [(words: [String], kind: Kind)] = [
        (["pack", "of"], .pack), (["box", "of"], .pack), (["case", "of"], .pack), (["carton", "of"], .pack),
        (["set", "of"], .multiplier), (["lot", "of"], .multiplier), (["lote", "de"], .multiplier), (["lot", "de"], .multiplier),
        (["lotto", "di"], .multiplier), (["paquet", "de"], .pack), (["packung", "mit"], .pack), (["karton", "mit"], .pack),
    ]

    /// The title's count, or nil when it states none.
    static func quantity(in title: String) -> Quantity? {
        let words = tokens(title)
        var multiplier: Int?
        var pack: Int?
        func note(_ value: Int, _ kind: Kind) {
            guard value >= 1, value <= 10_000 else { return }
            switch kind {
            case .multiplier: multiplier = multiplier ?? value
            case .pack: pack = pack ?? value
            }
        }
        for (index, word) in words.enumerated() {
            let next = index + 1 < words.count ? words[index + 1] : ""
            let afterNext = index + 2 < words.count ? words[index + 2] : ""
            // "x2", "2x", "x 2", "2 x" (but "2 x 50 g" counts two of 50 g).
            if word.hasPrefix("x"), let n = smallCount(word.dropFirst()) { note(n, .multiplier); continue }
            if word.hasSuffix("x"), let n = smallCount(word.dropLast()) { note(n, .multiplier); continue }
            if word == "x", let n = smallCount(Substring(next)), index > 0 { note(n, .multiplier); continue }
            if let n = smallCount(Substring(word)), next == "x" { note(n, .multiplier); continue }
            // "12ct", "6pk", "2er", "12pcs", "12個入": a number with its counting word attached.
            if let (n, unit) = numberWithSuffix(word), countedNouns.contains(unit) { note(n, .pack); continue }
            // "12 count", "6 pack", "2er pack", "12 bars", "4-count".
            if let n = Int(word), countedNouns.contains(next) { note(n, .pack); continue }
            // "6 x" handled above; "pack of 6", "lot of 3".
            for phrase in countingPhrases where phrase.words.count == 2 && phrase.words[0] == word && phrase.words[1] == next {
                if let n = Int(afterNext) { note(n, phrase.kind) }
            }
        }
        guard multiplier != nil || pack != nil else { return nil }
        return Quantity(multiplier: multiplier, pack: pack)
    }

    /// Lower-case words split at spaces and punctuation, hyphens kept apart ("4-count" is `4`, `count`).
    static func tokens(_ title: String) -> [String] {
        title.lowercased().replacing("×", with: "x")
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
    }

    /// "2" → 2 (a count of two to 99; one digit or two).
    static func smallCount(_ text: Substring) -> Int? {
        guard text.count <= 2, let n = Int(text), n >= 2 else { return nil }
        return n
    }

    /// "12ct" → (12, "ct"); nil when the word does not start with a number followed by letters.
    static func numberWithSuffix(_ word: String) -> (Int, String)? {
        let digits = word.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count < word.count, let n = Int(digits) else { return nil }
        return (n, String(word.dropFirst(digits.count)))
    }
}
