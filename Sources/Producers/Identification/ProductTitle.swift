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
    /// model there (sizes and generations tell models apart), every variant word it has (flavour,
    /// colour, capacity unit, size, "Pro"), and most of its other words. `ignoring`: model words
    /// checked elsewhere (its pack count).
    func matches(producer: String, model: String, ignoring: Set<String> = []) -> Bool {
        guard names(brand: producer) else { return false }
        let producerWords = ProductTitle(producer).words
        let all = ProductTitle(model).words
        let have = Set(words + words.compactMap { VariantWords.same[$0] })
        var modelWords: [String] = []
        for (index, word) in all.enumerated() where !producerWords.contains(word) && !ignoring.contains(word) {
            // A unit after a count checked elsewhere ("12 count") goes with it.
            if index > 0, ignoring.contains(all[index - 1]), QuantityWords.countedNouns.contains(word) { continue }
            modelWords.append(word)
        }
        guard !modelWords.isEmpty else { return true }
        for (index, word) in modelWords.enumerated() where !have.contains(word) {
            if word.first?.isNumber == true || VariantWords.contains(word) { return false }
            // "350 ml" is not "350 l".
            if index > 0, modelWords[index - 1].first?.isNumber == true, TitleWords.units.contains(word) { return false }
        }
        let present = Set(modelWords).intersection(have).count
        return Double(present) / Double(Set(modelWords).count) >= 0.75
    }
}

/// Words that tell variants of one product apart: a listing must have each one its identity has.
/// Folded as `ProductTitle` folds them (lower case, simple plurals off, no accents).
enum VariantWords {
    static let words: Set<String> = [
        // flavours (snacks, drinks, supplements)
        "chocolate", "choc", "vanilla", "strawberry", "peanut", "butter", "cookie", "dough", "caramel", "mint", "coconut",
        "banana", "lemon", "lime", "berry", "blueberry", "raspberry", "cherry", "cinnamon", "almond", "hazelnut", "salted",
        "birthday", "cake", "brownie", "fudge", "cream", "cheese", "cheddar", "sour", "bbq", "barbecue", "honey", "maple",
        "pumpkin", "spice", "mocha", "coffee", "espresso", "matcha", "apple", "peach", "mango", "pineapple", "watermelon",
        "grape", "spicy", "jalapeno", "ranch", "onion", "garlic", "smoky", "salt", "milk", "pecan", "pistachio", "toffee",
        "marshmallow", "smore", "oatmeal", "raisin", "schoko", "vanille", "erdbeer", "erdbeere", "nuss", "karamell",
        "kokos", "zitrone", "himbeer", "kirsch", "chocolat", "fraise", "noisette", "cioccolato", "fragola",
        // sides and positions (parts)
        "left", "right", "driver", "passenger", "front", "rear", "upper", "lower", "inner", "outer",
        // sizes and editions that make another model
        "xs", "xl", "xxl", "small", "medium", "large", "mini", "max", "pro", "plus", "ultra", "lite", "slim",
    ]

    /// Abbreviations listings use for a variant word.
    static let same: [String: String] = ["lh": "left", "rh": "right", "choc": "chocolate"]

    static func contains(_ word: String) -> Bool { words.contains(word) || TitleWords.colours.contains(word) }
}
