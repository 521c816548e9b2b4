/// The deterministic `model-producer`: producer and model as the consensus of the Lens match
/// titles. Titles are normalised (marketplace words, colours, sizes and conditions removed), the
/// brand is the one most titles name (earlier matches count more), and the model is the phrase
/// after the brand that the most of those titles share, longer phrases preferred.
public struct TitleConsensus: Sendable {
    public struct Identification: Sendable, Equatable {
        public var producer: String
        public var model: String
        public var confidence: Double
    }

    public init() {}

    /// Words that say nothing about which product it is.
    static let noise: Set<String> = [
        "ebay", "amazon", "vinted", "depop", "poshmark", "grailed", "mercari", "etsy", "kleinanzeigen", "vestiaire",
        "collective", "com", "de", "fr", "uk", "co", "www", "for", "sale", "buy", "online", "shop", "store", "official",
        "free", "shipping", "fast", "delivery", "new", "used", "nwt", "nwot", "bnib", "brand", "authentic", "genuine",
        "original", "preowned", "pre", "owned", "excellent", "condition", "good", "great", "mint", "rare", "vintage",
        "lot", "bundle", "the", "a", "an", "and", "with", "in", "of", "by", "to", "size", "sz", "eu", "us",
        "mens", "men's", "men", "womens", "women's", "women", "unisex", "kids", "boys", "girls",
        "black", "white", "grey", "gray", "silver", "gold", "red", "blue", "green", "navy", "pink", "beige", "brown",
        "yellow", "orange", "purple", "cream", "khaki", "olive", "tan", "multicolor", "multicolour",
        "xs", "s", "m", "l", "xl", "xxl", "small", "medium", "large", "price", "review", "reviews", "best", "deal",
        "gebraucht", "neu", "occasion", "neuf", "usato", "nuovo", "segunda", "mano", "wie",
    ]

    /// Units that belong to a model name when they follow a number.
    static let units: Set<String> = ["l", "ml", "cl", "mm", "cm", "m", "kg", "g", "oz", "in", "gb", "tb", "w", "v", "mah"]

    /// What kind of thing it is, not which one: never a model name on their own.
    static let categoryWords: Set<String> = [
        "lamp", "desk", "chair", "table", "sofa", "shelf", "shoe", "shoes", "sneaker", "sneakers", "boot", "boots",
        "trainer", "trainers", "running", "trail", "headphones", "headphone", "earbuds", "earphones", "wireless",
        "bluetooth", "noise", "cancelling", "canceling", "over-ear", "on-ear", "watch", "chronograph", "bag", "backpack",
        "rucksack", "mug", "cup", "jacket", "coat", "shirt", "t-shirt", "dress", "jeans", "phone", "smartphone", "laptop",
        "camera", "lens", "speaker", "office", "leather", "ceramic", "canvas", "led", "bike", "bicycle", "helmet",
        "bottle", "kettle", "toaster", "blender", "vacuum", "cleaner", "light", "lighting", "kopfhörer", "lampe",
    ]

    public func identify(titles: [String]) -> Identification? {
        let documents = titles.prefix(40).map(TitleConsensus.tokens)
        guard !documents.isEmpty else { return nil }

        // Brand: the alias found in the most titles, weighted by the match's rank.
        var brandScore: [String: Double] = [:]
        var brandTitles: [String: [Int]] = [:]
        for (rank, tokens) in documents.enumerated() {
            var seen: Set<String> = []
            for (start, _) in tokens.enumerated() {
                for length in stride(from: BrandCatalog.longestAlias, through: 1, by: -1) where start + length <= tokens.count {
                    let phrase = tokens[start..<start + length].map(\.lower).joined(separator: " ")
                    if let brand = BrandCatalog.byAlias[phrase], seen.insert(brand).inserted {
                        brandScore[brand, default: 0] += 1 / (1 + 0.1 * Double(rank))
                        brandTitles[brand, default: []].append(rank)
                    }
                }
            }
        }
        let brand: String
        let supporting: [Int]
        let aliases: Set<String>
        if let (known, _) = brandScore.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
           let titles = brandTitles[known]
        {
            brand = known
            supporting = titles
            aliases = Set(BrandCatalog.entries.first { $0.name == known }?.aliases.flatMap { $0.split(separator: " ").map(String.init) } ?? [])
        } else if let leading = TitleConsensus.leadingWordConsensus(documents) {
            // A brand the catalog does not know: most titles start with it.
            brand = leading.display
            supporting = leading.titles
            aliases = [leading.key]
        } else {
            return nil
        }

        // Model: the n-gram (1–4 words, no noise, not the brand) shared by most supporting titles.
        var support: [String: Set<Int>] = [:]
        var leading: Set<String> = []
        var display: [String: String] = [:]
        for rank in supporting {
            let tokens = documents[rank]
            // Size letters are noise ("Size L"), but a unit after a number is part of the name ("22 L", "350 ml").
            let words = tokens.indices.filter { i in
                let word = tokens[i].lower
                if aliases.contains(word) { return false }
                if TitleConsensus.units.contains(word), i > 0, tokens[i - 1].lower.allSatisfy(\.isNumber) { return true }
                return !TitleConsensus.noise.contains(word)
            }.map { tokens[$0] }
            for start in words.indices {
                for length in 1...4 where start + length <= words.count {
                    let slice = words[start..<start + length]
                    let key = slice.map(\.lower).joined(separator: " ")
                    support[key, default: []].insert(rank)
                    if start == 0 { leading.insert(key) }
                    if display[key] == nil { display[key] = slice.map(\.text).joined(separator: " ") }
                }
            }
        }
        let needed = supporting.count >= 3 ? max(2, Int((Double(supporting.count) * 0.3).rounded(.up))) : 1
        // Longer shared phrases, phrases right after the brand, and not just category words.
        func score(_ key: String, _ titles: Set<Int>) -> Double {
            let words = key.split(separator: " ").map(String.init)
            var value = Double(titles.count) * (1 + 0.35 * Double(words.count - 1))
            if leading.contains(key) { value *= 1.5 }
            if words.allSatisfy(TitleConsensus.categoryWords.contains) { value *= 0.3 }
            return value
        }
        let best = support.filter { $0.value.count >= needed }.max { a, b in
            let sa = score(a.key, a.value), sb = score(b.key, b.value)
            return sa < sb || (sa == sb && a.key > b.key)
        }
        guard let best, let model = display[best.key] else { return nil }
        let brandShare = Double(supporting.count) / Double(documents.count)
        let modelShare = Double(best.value.count) / Double(supporting.count)
        let confidence = min(0.95, (brandShare * modelShare * 100).rounded() / 100)
        return Identification(producer: brand, model: model, confidence: confidence)
    }

    /// The first meaningful word shared by most titles (at least two and 40% of them).
    static func leadingWordConsensus(_ documents: [[Token]]) -> (key: String, display: String, titles: [Int])? {
        var titles: [String: [Int]] = [:]
        var display: [String: String] = [:]
        for (rank, tokens) in documents.enumerated() {
            guard let first = tokens.first(where: { !noise.contains($0.lower) && $0.lower.contains(where: \.isLetter) }) else { continue }
            titles[first.lower, default: []].append(rank)
            if display[first.lower] == nil { display[first.lower] = first.text }
        }
        guard let best = titles.max(by: { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key) }),
              best.value.count >= 2, Double(best.value.count) >= 0.4 * Double(documents.count),
              let shown = display[best.key]
        else { return nil }
        return (best.key, shown, best.value)
    }

    struct Token: Equatable {
        let text: String
        let lower: String
    }

    /// Words of a title with punctuation removed (hyphens and slashes inside model names kept),
    /// cut at a separator that starts a site name ("… | eBay", "… - Amazon.com").
    static func tokens(_ title: String) -> [Token] {
        var text = Substring(title)
        for separator in [" | ", " – ", " — ", " · "] {
            if let range = text.range(of: separator) { text = text[..<range.lowerBound] }
        }
        var words: [Token] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmingCharacters(in: "-/.")
            if !trimmed.isEmpty { words.append(Token(text: trimmed, lower: trimmed.lowercased())) }
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || "-/.'&+".contains(character) {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return words
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
