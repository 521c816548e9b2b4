/// Picks the page's own product when the markup describes several (related products,
/// bundles, "customers also bought"): the one whose URL is the page's, whose name matches the
/// title or heading, and whose block is the largest; the earliest one on a tie.
enum MainProductChooser {
    struct PageContext: Sendable {
        var url: String?
        var titles: [String]
    }

    static func choose(_ candidates: [ProductCandidate], context: PageContext) -> ProductCandidate? {
        var best: (candidate: ProductCandidate, score: Double)?
        for candidate in candidates {
            let score = self.score(candidate, context: context)
            if best == nil || score > (best?.score ?? 0) { best = (candidate, score) }
        }
        return best?.candidate
    }

    static func score(_ candidate: ProductCandidate, context: PageContext) -> Double {
        let record = candidate.record
        var score = 0.0
        if let url = record.url, !url.isEmpty, let page = context.url, URLText.path(url) == URLText.path(page),
           !URLText.path(page).isEmpty {
            score += 10
        }
        if let name = record.name {
            score += 6 * (context.titles.map { similarity(name, $0) }.max() ?? 0)
        }
        if record.price != nil { score += 2 }
        if record.sku != nil { score += 0.5 }
        score += candidate.size < 0 ? -5 : Double(min(candidate.size, 200)) / 100
        return score
    }

    /// Share of the name's words that appear in the title (titles add shop names and slogans).
    static func similarity(_ name: String, _ title: String) -> Double {
        let nameWords = Set(words(name))
        guard !nameWords.isEmpty else { return 0 }
        let titleWords = Set(words(title))
        return Double(nameWords.intersection(titleWords).count) / Double(nameWords.count)
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}
