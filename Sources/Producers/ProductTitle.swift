/// Titles compared the way a shopper reads them: words without case, accents or punctuation,
/// numbers apart from their units (`22L` is `22 l`), simple plurals folded (`shoes` is `shoe`).
struct ProductTitle {
    let words: [String]
    /// The squashed title, for brands written as one word (`BangOlufsen`).
    let squashed: String

    init(_ text: String) {
        var words: [String] = []
        for raw in String(String.UnicodeScalarView(text.lowercased().decomposedScalars))
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        {
            words += ProductTitle.splitDigits(String(raw)).map(ProductTitle.singular)
        }
        self.words = words
        squashed = DomainName.squashed(text)
    }

    /// `1000xm4` → `1000`, `xm`, `4`.
    static func splitDigits(_ word: String) -> [String] {
        var parts: [String] = []
        var current = ""
        for character in word {
            if let last = current.last, last.isNumber != character.isNumber {
                parts.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    static func singular(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.allSatisfy(\.isNumber) else { return word }
        return String(word.dropLast())
    }

    func contains(_ phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where Array(words[start..<(start + phrase.count)]) == phrase {
            return true
        }
        return false
    }

    /// Whether the title names the brand: as words, or run together.
    func names(brand: String) -> Bool {
        let brandWords = ProductTitle(brand)
        if contains(brandWords.words) { return true }
        return !brandWords.squashed.isEmpty && squashed.contains(brandWords.squashed)
    }

    /// Share of the model's words the title has (0...1).
    func coverage(of model: String) -> Double {
        let modelWords = Set(ProductTitle(model).words)
        guard !modelWords.isEmpty else { return 0 }
        return Double(modelWords.intersection(words).count) / Double(modelWords.count)
    }

    /// Whether the title is about this producer's model: the brand named, every number of the
    /// model there (sizes and generations tell models apart), and most of its words.
    func matches(producer: String, model: String) -> Bool {
        guard names(brand: producer) else { return false }
        let modelWords = ProductTitle(model).words.filter { !ProductTitle(producer).words.contains($0) }
        guard !modelWords.isEmpty else { return true }
        let have = Set(words)
        for word in modelWords where word.first?.isNumber == true && !have.contains(word) { return false }
        let present = Set(modelWords).intersection(have).count
        return Double(present) / Double(Set(modelWords).count) >= 0.75
    }
}
