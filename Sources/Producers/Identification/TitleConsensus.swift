/// The deterministic identification: producer and model as the consensus of titles (visual
/// matches, or listings). It names candidates with a confidence; whoever asks decides against
/// the confidence floor whether the best is good enough, so that a page of matches that agree on
/// nothing gives no identity rather than a guess.
///
/// - The producer is a brand the catalog knows (`BrandCatalog`, including product lines such as
///   iPad) or, failing that, the phrase most titles start with once listing noise is dropped
///   ("Pink Floyd": a leading colour word keeps the word after it).
/// - The model is the phrase the producer's titles share most (set and model numbers count
///   extra), grown by a neighbouring word while nearly all of those titles keep it ("New Beetle").
///   Condition, marketplace, size, colour and spec words are never its ends; category words
///   (Hoodie, Minifigur) are never a model on their own.
/// - Confidence = brand share × √(model share among the brand's titles) × n/(n+1) × min(1, k/3)
///   for n titles of which k name the model, matches ranked higher weighing more. A mixture of
///   brands (a search for "phone") stays low, and so do two titles that happen to agree.
public struct TitleConsensus: Sendable {
    /// One producer and model the titles support.
    public struct Candidate: Sendable, Equatable {
        public var producer: String
        public var model: String
        /// 0...1: how far the titles agree on this producer and model.
        public var confidence: Double
        /// 0...1: the (rank-weighted) share of all titles that name both.
        public var support: Double
    }

    /// A title and, when known, where it was found (a domain or a site name), so that a trailing
    /// site name ("… | Maison Boutique") is not read as part of the product.
    public struct Title: Sendable, Equatable {
        public var text: String
        public var site: String?

        public init(_ text: String, site: String? = nil) {
            self.text = text
            self.site = site
        }
    }

    /// Titles beyond this many are not read (Lens lists its best matches first).
    public var maxTitles = 60
    /// Words and characters of one title that are read.
    static let maxTitleWords = 40
    static let maxTitleCharacters = 1_000

    public init() {}

    /// The best candidate, whatever its confidence.
    public func identify(titles: [String]) -> Candidate? {
        candidates(titles.map { Title($0) }).first
    }

    /// Candidates best first (at most `limit`), one per producer.
    public func candidates(_ titles: [Title], limit: Int = 3) -> [Candidate] {
        let documents = titles.prefix(maxTitles).map(Document.init).filter { !$0.words.isEmpty }
        guard !documents.isEmpty else { return [] }
        let weights = documents.indices.map { 1 / (1 + 0.05 * Double($0)) }
        let total = weights.reduce(0, +)

        var brands = catalogBrands(documents)
        if let leading = leadingBrand(documents, known: brands), !brands.keys.contains(leading.name) {
            brands[leading.name] = leading.mentions
        }
        var found: [Candidate] = []
        for (brand, mentions) in brands {
            let brandWeight = mentions.keys.map { weights[$0] }.reduce(0, +)
            guard mentions.count >= 1, let model = model(in: documents, mentions: mentions, weights: weights) else { continue }
            let brandShare = brandWeight / total
            let modelShare = model.weight / brandWeight
            let sample = Double(documents.count) / Double(documents.count + 1)
            // Fewer than three titles naming it is a coincidence, not a consensus.
            let agreeing = min(1, Double(model.titles) / 3)
            let confidence = min(0.95, (brandShare * modelShare.squareRoot() * sample * agreeing * 100).rounded() / 100)
            found.append(Candidate(producer: brand, model: TitleConsensus.withPack(model.display, TitleConsensus.packSuffix(documents, mentions: mentions)),
                                   confidence: confidence,
                                   support: (model.weight / total * 100).rounded() / 100))
        }
        return Array(found.sorted { a, b in
            a.confidence != b.confidence ? a.confidence > b.confidence : (a.producer, a.model) < (b.producer, b.model)
        }.prefix(limit))
    }

    /// " 12 Count" when most titles naming the brand (at least three, and two thirds of them)
    /// state the same count above one: a 12-count box is another product than a 4-count one, so
    /// the count belongs to the identity. Empty otherwise.
    static func packSuffix(_ documents: [Document], mentions: [Int: Set<Int>]) -> String {
        var counts: [Int: Int] = [:]
        for index in mentions.keys where documents.indices.contains(index) {
            let text = documents[index].words.map(\.text).joined(separator: " ")
            if let total = QuantityWords.quantity(in: text)?.total, total > 1 { counts[total, default: 0] += 1 }
        }
        guard let (total, agreeing) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
              agreeing >= 3, agreeing * 3 >= mentions.count * 2 else { return "" }
        return " \(total) Count"
    }

    /// The model with the titles' agreed count: its own trailing count word replaced ("Bar 12" → "Bar 12 Count").
    static func withPack(_ model: String, _ suffix: String) -> String {
        guard !suffix.isEmpty else { return model }
        let number = suffix.split(separator: " ").first.map(String.init) ?? ""
        var words = model.split(separator: " ").map(String.init)
        if words.last == number { words.removeLast() }
        return (words + [number, "Count"]).joined(separator: " ")
    }

    // MARK: - Brands

    /// Catalog brands named in each title: brand → (title index → positions of the brand's own words).
    func catalogBrands(_ documents: [Document]) -> [String: [Int: Set<Int>]] {
        var found: [String: [Int: Set<Int>]] = [:]
        for (index, document) in documents.enumerated() {
            let words = document.words.map(\.lower)
            var named: [String: Set<Int>] = [:]
            var lines: Set<String> = []
            for start in words.indices {
                for length in stride(from: min(BrandCatalog.longestAlias, words.count - start), through: 1, by: -1) {
                    let phrase = words[start..<start + length].joined(separator: " ")
                    if let brand = BrandCatalog.byAlias[phrase] {
                        named[brand, default: []].formUnion(start..<start + length)
                        break
                    }
                    if let brand = BrandCatalog.byLine[phrase] {
                        lines.insert(brand)
                        break
                    }
                }
            }
            for (brand, positions) in named { found[brand, default: [:]][index] = positions }
            // A product line names its maker (and stays part of the model), unless the title
            // names another maker outright ("LEGO 10497 Galaxy Explorer" is not a Samsung).
            for brand in lines where named.isEmpty || named[brand] != nil {
                if found[brand]?[index] == nil { found[brand, default: [:]][index] = [] }
            }
        }
        return found
    }

    /// A brand the catalog does not know: the phrase most titles start with (at least two titles
    /// and a quarter of them), after the listing noise that precedes brands ("Vintage", "NEW",
    /// years). A leading colour or common word takes the next word along ("Pink Floyd").
    func leadingBrand(_ documents: [Document], known: [String: [Int: Set<Int>]]) -> (name: String, mentions: [Int: Set<Int>])? {
        var counts: [[String]: Int] = [:]
        var shown: [[String]: [String: Int]] = [:]
        for (index, document) in documents.enumerated() {
            let words = document.words
            let catalogWords = known.values.reduce(into: Set<Int>()) { $0.formUnion($1[index] ?? []) }
            guard let first = words.indices.first(where: { i in
                let w = words[i].lower
                return !(TitleWords.stop.contains(w) || TitleWords.noise.contains(w) || TitleWords.spec.contains(w)
                    || TitleWords.isYearish(w) || TitleWords.isMeasure(w) || TitleWords.isAllDigits(w))
            }) else { continue }
            let lead = words[first].lower
            guard !catalogWords.contains(first), !TitleWords.category.contains(lead), BrandCatalog.byAlias[lead] == nil, BrandCatalog.byLine[lead] == nil,
                  lead.contains(where: \.isLetter) else { continue }
            var phrase = [words[first]]
            if TitleWords.colours.contains(lead), first + 1 < words.count, TitleWords.isContent(words[first + 1].lower) {
                phrase.append(words[first + 1])
            } else if !TitleWords.isContent(lead) {
                continue
            }
            let key = phrase.map(\.lower)
            counts[key, default: 0] += 1
            shown[key, default: [:]][phrase.map(\.text).joined(separator: " "), default: 0] += 1
        }
        guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.joined() > $1.key.joined()) }),
              best.value >= 2, Double(best.value) >= 0.25 * Double(documents.count),
              let display = TitleConsensus.mostCommon(shown[best.key] ?? [:])
        else { return nil }
        var mentions: [Int: Set<Int>] = [:]
        for (index, document) in documents.enumerated() {
            if let start = document.find(best.key) { mentions[index] = Set(start..<start + best.key.count) }
        }
        return (display, mentions)
    }

    // MARK: - Models

    struct Model {
        var key: [String]
        var display: String
        var weight: Double
        /// How many titles name it.
        var titles: Int
    }

    /// The phrase the brand's titles share most, grown while nearly all of them keep growing it.
    func model(in documents: [Document], mentions: [Int: Set<Int>], weights: [Double]) -> Model? {
        // phrase → titles holding it, and how it was written.
        var holders: [[String]: Set<Int>] = [:]
        var shown: [[String]: [String: Int]] = [:]
        for (index, brandPositions) in mentions {
            let words = documents[index].words
            for start in words.indices where !brandPositions.contains(start) {
                for length in 1...6 where start + length <= words.count {
                    if brandPositions.contains(start + length - 1) { break }
                    let slice = words[start..<start + length]
                    let key = slice.map(\.lower)
                    holders[key, default: []].insert(index)
                    shown[key, default: [:]][slice.map(\.text).joined(separator: " "), default: 0] += 1
                }
            }
        }
        func weight(_ titles: Set<Int>) -> Double { titles.map { weights[$0] }.reduce(0, +) }
        func score(_ key: [String], _ titles: Set<Int>) -> Double {
            var value = weight(titles) * (1 + 0.1 * Double(key.count - 1))
            if key.contains(where: TitleWords.isIdentifier) { value *= 1.3 }
            if !key.contains(where: TitleWords.isContent) { value *= 0.5 }  // category words (and a number) only
            return value
        }
        var best: (key: [String], titles: Set<Int>, score: Double)?
        for (key, titles) in holders where TitleConsensus.isModelCore(key) {
            let value = score(key, titles)
            if let current = best {
                if value < current.score { continue }
                if value == current.score && (key.count < current.key.count || (key.count == current.key.count && key.joined() >= current.key.joined())) { continue }
            }
            best = (key, titles, value)
        }
        guard var (key, titles, _) = best else { return nil }

        // Grow by one word at either end while at least 70% of the titles keep the longer phrase.
        while key.count < 6 {
            var bestGrowth: (key: [String], titles: Set<Int>)?
            for (candidate, candidateTitles) in holders where candidate.count == key.count + 1 {
                let left = Array(candidate.dropFirst()) == key, right = Array(candidate.dropLast()) == key
                guard left || right else { continue }
                let added = left ? candidate[0] : candidate[candidate.count - 1]
                guard !TitleWords.stop.contains(added), !TitleWords.isYearish(added), !TitleWords.isMeasure(added),
                      !TitleWords.spec.contains(added), right ? TitleConsensus.canEnd(candidate) : true,
                      weight(candidateTitles) >= 0.7 * weight(titles)
                else { continue }
                if bestGrowth == nil || weight(candidateTitles) > weight(bestGrowth?.titles ?? []) { bestGrowth = (candidate, candidateTitles) }
            }
            guard let growth = bestGrowth else { break }
            (key, titles) = (growth.key, growth.titles)
        }
        guard let display = TitleConsensus.mostCommon(shown[key] ?? [:]) else { return nil }
        return Model(key: key, display: display, weight: weight(titles), titles: titles.count)
    }

    /// Whether a phrase may be a model as found: it names something (a content word, or several
    /// category words with a number — "Canvas Backpack 22 L"), and neither end is filler.
    static func isModelCore(_ key: [String]) -> Bool {
        guard let first = key.first, !TitleWords.isFiller(first), !TitleWords.isAllDigits(first) || first.count >= 3,
              canEnd(key) else { return false }
        if key.contains(where: TitleWords.isContent) { return true }
        // Category words alone are a kind of thing, not a model; two or more with a number are a product's name.
        return key.count >= 2 && key.contains(where: TitleWords.isAllDigits)
            || key.count >= 3 && key.allSatisfy { TitleWords.category.contains($0) }
    }

    /// The last word may be a unit right after a number ("22 L"), else not filler.
    static func canEnd(_ key: [String]) -> Bool {
        guard let last = key.last else { return false }
        if key.count >= 2, TitleWords.units.contains(last), TitleWords.isAllDigits(key[key.count - 2]) { return true }
        return !TitleWords.isFiller(last)
    }

    /// The spelling used most often; ties go to the one with more capitals (as brands write themselves).
    static func mostCommon(_ spellings: [String: Int]) -> String? {
        spellings.max { a, b in
            if a.value != b.value { return a.value < b.value }
            let ca = a.key.filter(\.isUppercase).count, cb = b.key.filter(\.isUppercase).count
            // Prefer "Pink Floyd" over "PINK FLOYD" and "pink floyd": fewest capitals beyond the first letters.
            let wa = a.key.split(separator: " ").count, wb = b.key.split(separator: " ").count
            let excessA = abs(ca - wa), excessB = abs(cb - wb)
            return excessA != excessB ? excessA > excessB : a.key > b.key
        }?.key
    }
}

// MARK: - Titles as words

extension TitleConsensus {
    struct Word: Equatable {
        let text: String
        let lower: String
    }

    /// One title as words, with marketplace additions removed.
    struct Document {
        let words: [Word]

        init(_ title: Title) {
            var text = TitleConsensus.withoutFitment(title.text)
            text = TitleConsensus.withoutTrailingSite(text, site: title.site)
            // Titles are short; a longer text is a description, and its tail names nothing new.
            words = Array(TitleConsensus.withoutInterfacePhrases(TitleConsensus.words(String(text.prefix(TitleConsensus.maxTitleCharacters))))
                .prefix(TitleConsensus.maxTitleWords))
        }

        /// Where `key` starts in the title, if it does.
        func find(_ key: [String]) -> Int? {
            guard !key.isEmpty, key.count <= words.count else { return nil }
            for start in 0...(words.count - key.count) where words[start..<start + key.count].map(\.lower) == key { return start }
            return nil
        }
    }

    /// A listing's "(For: 2006 Volkswagen Beetle)" says which car a part fits, not what the part is.
    static func withoutFitment(_ text: String) -> String {
        guard let open = text.firstRange(of: "(For:") ?? text.firstRange(of: "(for:") else { return text }
        let rest = text[open.upperBound...]
        let close = rest.firstIndex(of: ")").map { rest.index(after: $0) } ?? text.endIndex
        return String(text[..<open.lowerBound]) + String(text[close...])
    }

    /// Drops a last segment after " | ", " - ", " – ", " — " or " · " that names a site: the match's own
    /// site, a marketplace, or a domain ("… | Marketplace", "… - Store.com", "… | Maison Boutique").
    static func withoutTrailingSite(_ text: String, site: String?) -> String {
        var best: Range<String.Index>?
        for separator in [" | ", " - ", " – ", " — ", " · "] {
            if let range = text.ranges(of: separator).last, range.lowerBound > text.startIndex,
               best.map({ range.lowerBound > $0.lowerBound }) ?? true
            {
                best = range
            }
        }
        guard let cut = best else { return text }
        let segment = text[cut.upperBound...]
        let words = TitleConsensus.words(String(segment)).map(\.lower)
        guard !words.isEmpty, words.count <= 4 else { return text }
        let squashed = DomainName.squashed(String(segment))
        let siteNames = site.map { [DomainName.squashed($0), DomainName.squashed(DomainName.label(ofHost: $0))] } ?? []
        let namesSite = words.contains(where: TitleWords.siteWords.contains)
            || words.contains { $0.contains(".") && $0.last?.isLetter == true && !$0.contains(where: \.isNumber) }
            || (!squashed.isEmpty && siteNames.contains { !$0.isEmpty && ($0.contains(squashed) || squashed.contains($0)) })
        return namesSite ? String(text[..<cut.lowerBound]) : text
    }

    static func withoutInterfacePhrases(_ words: [Word]) -> [Word] {
        var kept: [Word] = []
        var index = 0
        outer: while index < words.count {
            for phrase in TitleWords.interfacePhrases where index + phrase.count <= words.count {
                if zip(words[index..<index + phrase.count], phrase).allSatisfy({ $0.lower == $1 }) {
                    index += phrase.count
                    continue outer
                }
            }
            kept.append(words[index])
            index += 1
        }
        return kept
    }

    /// Words of a title: letters and digits with hyphens, slashes, dots, apostrophes and `&` inside
    /// model names kept ("WH-1000XM4", "Arc'teryx"), but words of letters joined by a hyphen or
    /// slash split ("Reverse-Weave", "LP/CD"); a change between Latin and CJK script splits too
    /// ("Switchドック" is "Switch", "ドック").
    static func words(_ title: String) -> [Word] {
        var out: [Word] = []
        var current = ""
        var currentWide = false
        func flush() {
            let trimmed = current.trimmingCharacters(in: "-/.'&+")
            current = ""
            guard !trimmed.isEmpty else { return }
            for part in splitJoined(trimmed) {
                out.append(Word(text: part, lower: part.lowercased()))
            }
        }
        for raw in title {
            let character: Character = raw == "’" || raw == "‘" || raw == "`" ? "'" : raw
            let wordy = character.isLetter || character.isNumber
            if wordy {
                let wide = isWide(character)
                if !current.isEmpty && wide != currentWide { flush() }
                currentWide = wide
                current.append(character)
            } else if "-/.'&+".contains(character) && !current.isEmpty {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    /// "Reverse-Weave" → Reverse, Weave; "LP/CD" → LP, CD; "WH-1000XM4" and "8/16GB" stay whole.
    static func splitJoined(_ word: String) -> [String] {
        let parts = word.split(whereSeparator: { $0 == "-" || $0 == "/" }).map(String.init)
        guard parts.count > 1, parts.allSatisfy({ $0.allSatisfy(\.isLetter) }) else { return [word] }
        return parts
    }

    /// Han, kana, Hangul and other scripts written without spaces.
    static func isWide(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return scalar.value >= 0x2E80
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
