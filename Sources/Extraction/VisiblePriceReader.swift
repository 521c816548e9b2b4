/// The fallback for pages with no structured price: the price shown nearest the main
/// heading and the add-to-cart button, skipping struck-through old prices, per-unit prices,
/// savings, instalments, shipping fees, review counts, identifiers and prices inside
/// recommendation strips. Also corrects a markup price the page shows only as an old or
/// opening price. The words it goes by are in `PriceHints`.
enum VisiblePriceReader {
    /// Longest element text still read as one price ("$1,299.99", "Now 12,99 € inkl. MwSt.").
    static let maxPriceTextLength = 60
    /// How far from the landmarks (in nodes) a price may be before it is someone else's.
    static let maxDistance = 3_000

    /// A price shown on the page and how it is presented.
    struct Candidate {
        var price: ParsedPrice
        var score: Double
        /// Marked as the current price ("sale", "actual", "special", ...).
        var current: Bool
        /// Marked as an old or reference price, or crossed out.
        var old: Bool
        /// The number is the element's own text, not a wrapper's summary of its children.
        var direct: Bool
        var node: Int
        /// Inside <del>, <s> or <strike>: the page itself says this price no longer applies.
        var struck: Bool
        /// The element's own class or id names a charge other than the item's price (shipping,
        /// a unit price, an instalment, a saving), or its text labels an estimate.
        var notTheItem: Bool
        /// Labelled as an auction's starting price.
        var opening: Bool
    }

    /// How close (in nodes) a current price must sit to the crossed-out one to be its replacement.
    static let priceBlockSpan = 40

    /// The best-placed price that nothing marks as something other than the item's price: a
    /// shipping fee or a unit price is no answer even when it is the only number in sight.
    static func price(in document: HTMLDocument, landmarks: PageLandmarks) -> ParsedPrice? {
        candidates(in: document, landmarks: landmarks).filter { !$0.notTheItem && !$0.opening }
            .max(by: { $0.score < $1.score })?.price
    }

    /// When markup gives one price but the page presents another as the current price and
    /// shows the markup's one only as an old price, the page is right (a sale the markup
    /// missed). Returns the price to use instead, if any.
    static func correction(for structured: String, in document: HTMLDocument, landmarks: PageLandmarks) -> ParsedPrice? {
        let all = candidates(in: document, landmarks: landmarks, includeCrossedOut: true)
        let direct = all.filter(\.direct)
        let same = direct.filter { DecimalText.equal($0.price.amount, structured) }
        guard !same.isEmpty, same.allSatisfy({ $0.old || $0.opening }) else { return nil }
        // The replacement must sit in the same price block, or it is another product's price.
        // A struck-through markup price needs only a plain price beside it; one that is only
        // labelled "old" needs a price labelled current. An auction's opening price gives way
        // to a higher bid shown beside it (bids only go up).
        let struck = same.allSatisfy(\.struck)
        let opening = same.allSatisfy(\.opening)
        return direct.filter { candidate in
            let outbid = opening && DecimalText.less(structured, candidate.price.amount)
            return (candidate.current || struck || outbid) && !candidate.old && !candidate.opening
                && !candidate.notTheItem
                && !DecimalText.equal(candidate.price.amount, structured)
                && same.contains { abs($0.node - candidate.node) <= priceBlockSpan }
        }
            .max(by: { $0.score < $1.score })?.price
    }

    static func candidates(in document: HTMLDocument, landmarks: PageLandmarks, includeCrossedOut: Bool = false) -> [Candidate] {
        let nodes = document.nodes
        var found: [Candidate] = []
        for index in nodes.indices where nodes[index].kind == .element {
            let node = nodes[index]
            let crossed = crossedNames.contains(node.name)
            guard !HTMLDocument.invisible.contains(node.name), !["option", "select"].contains(node.name),
                  includeCrossedOut || !crossed
            else { continue }
            let hints = Array(hintText(node).utf8)
            let pricey = ByteSearch.containsAny(hints, PriceHints.positiveBytes)
            guard pricey || showsCurrency(index, in: document) else { continue }
            let crossedAncestor = document.hasAncestor(index, named: crossedNames)
            // A block holding a crossed-out price and the current one reads as the current one.
            let skip = crossed || crossedAncestor ? HTMLDocument.invisible : HTMLDocument.invisible.union(crossedNames)
            let text = document.visibleText(of: index, limit: maxPriceTextLength * 4, skipping: skip)
            guard !text.isEmpty, text.unicodeScalars.count <= maxPriceTextLength,
                  text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { continue }
            guard let distance = landmarks.distance(to: index) ?? (nodes.count < 5_000 ? 0 : nil),
                  distance <= maxDistance else { continue }
            guard !document.hasAncestor(index, named: ["option", "nav", "footer", "header"]),
                  includeCrossedOut || !crossedAncestor
            else { continue }
            let parsed = PriceParser.parse(text)
            guard let amount = parsed.amount, !DecimalText.isZero(amount) else { continue }
            // Bare numbers count only where the markup says "price".
            guard parsed.currencyText != nil || pricey else { continue }
            guard !insideOtherProducts(index, in: document, heading: landmarks.heading) else { continue }
            var score = -Double(distance) / 150
            if pricey { score += 2 }
            let current = ByteSearch.containsAny(hints, PriceHints.strongBytes)
            if current { score += 1.5 }
            let ancestorHints = Array(ancestorHintText(index, in: document).utf8)
            let negative = ByteSearch.containsAny(hints, PriceHints.negativeBytes)
                || ByteSearch.containsAny(ancestorHints, PriceHints.negativeBytes)
            if negative { score -= 4 }
            let lowered = Array(text.lowercased().utf8)
            if ByteSearch.containsAny(lowered, PriceHints.negativeTextBytes) { score -= 3 }
            if parsed.currencyText != nil { score += 1 }
            if let heading = landmarks.heading, index > heading { score += 0.5 }
            let old = crossed || crossedAncestor || ByteSearch.containsAny(hints, PriceHints.oldBytes)
                || ByteSearch.containsAny(ancestorHints, PriceHints.oldBytes)
            let direct = directText(of: index, in: document).utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 })
            found.append(Candidate(price: parsed, score: score, current: current, old: old, direct: direct, node: index,
                                   struck: crossed || crossedAncestor, notTheItem: ByteSearch.containsAny(hints, PriceHints.notTheItemBytes)
                                       || ByteSearch.containsAny(lowered, PriceHints.notTheItemTextBytes),
                                   opening: ByteSearch.containsAny(lowered, PriceHints.openingBytes)))
        }
        return found
    }

    static let crossedNames: Set<String> = ["del", "s", "strike"]

    /// The element's own text shows a currency, or one of its child elements' does: a price
    /// split over siblings ("<b>294</b><span>元</span>") is read from their parent.
    static func showsCurrency(_ index: Int, in document: HTMLDocument) -> Bool {
        if directText(of: index, in: document).unicodeScalars.contains(where: isCurrencyMark) { return true }
        return document.nodes[index].children.contains { child in
            document.nodes[child].kind == .element
                && directText(of: child, in: document).unicodeScalars.contains(where: isCurrencyMark)
        }
    }

    /// Inside a recommendation strip, carousel or "similar items" block, however deep. A
    /// container that also holds the main heading is the page itself ("<body class=
    /// "has-related-items">", a product carousel page), not a strip beside it.
    static func insideOtherProducts(_ index: Int, in document: HTMLDocument, heading: Int?) -> Bool {
        var current = document.nodes[index].parent
        while let parent = current {
            let holdsHeading = heading.map { $0 > parent && $0 < document.nodes[parent].end } ?? false
            if !holdsHeading, ByteSearch.containsAny(Array(hintText(document.nodes[parent]).utf8), PriceHints.elsewhereBytes) {
                return true
            }
            current = document.nodes[parent].parent
        }
        return false
    }

    static let currencyMarks: Set<Unicode.Scalar> = Set("$€£¥₹₽₩₪₺₴₫฿ł円元₸₼₾₦₱₲₡₵₭₮৳₨".unicodeScalars)

    static func isCurrencyMark(_ scalar: Unicode.Scalar) -> Bool { currencyMarks.contains(scalar) }

    static func hintText(_ node: HTMLNode) -> String {
        [node.attribute("class"), node.attribute("id"), node.attribute("itemprop"), node.attribute("data-testid"),
         node.attribute("data-test"), node.attribute("data-qa")]
            .compactMap { $0 }.joined(separator: " ").lowercased()
    }

    /// Class and id names of the three nearest ancestors: "old-price" wrappers mark their children.
    static func ancestorHintText(_ index: Int, in document: HTMLDocument) -> String {
        var text = ""
        var current = document.nodes[index].parent
        var steps = 0
        while let parent = current, steps < 3 {
            text += " " + hintText(document.nodes[parent])
            current = document.nodes[parent].parent
            steps += 1
        }
        return text
    }

    /// Text of the element's own text children (not its descendants').
    static func directText(of index: Int, in document: HTMLDocument) -> String {
        document.nodes[index].children.lazy.filter { document.nodes[$0].kind == .text }
            .map { document.nodes[$0].text }.joined()
    }

    static let outOfStockPhrases = [
        "out of stock", "currently unavailable", "sold out", "no longer available", "temporarily unavailable",
        "ausverkauft", "nicht verfügbar", "nicht lieferbar", "derzeit nicht", "épuisé", "rupture de stock",
        "indisponible", "agotado", "no disponible", "esaurito", "non disponibile", "niet op voorraad",
        "uitverkocht", "brak w magazynie", "niedostępny", "нет в наличии", "slutsåld", "udsolgt", "utsolgt",
        "currently out of stock", "item is unavailable", "not available",
    ]

    /// "Out of stock" shown as a short notice near the product (not inside a size list).
    static func availability(in document: HTMLDocument, landmarks: PageLandmarks) -> String? {
        guard landmarks.heading != nil || landmarks.addToCart != nil else { return nil }
        let nodes = document.nodes
        for index in nodes.indices where nodes[index].kind == .text {
            guard let distance = landmarks.distance(to: index), distance <= 400 else { continue }
            // The notice is the whole text ("Currently unavailable."), not a phrase inside a
            // caption such as "Image not available".
            let text = nodes[index].text.collapsingWhitespace().lowercased()
                .trimmingCharacters(in: " .!:-–()")
            guard !text.isEmpty, text.count <= 40 else { continue }
            guard outOfStockPhrases.contains(where: { text.hasPrefix($0) && text.count <= $0.count + 12 }) else { continue }
            guard !document.hasAncestor(index, named: ["option", "select", "script", "style", "noscript", "template"])
            else { continue }
            return "OutOfStock"
        }
        return nil
    }
}
