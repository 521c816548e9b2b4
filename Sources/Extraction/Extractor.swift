/// The entry point: page bytes in, the page's product out.
///
/// Structured data first (JSON-LD, microdata, embedded app state), the main product chosen
/// among them, gaps filled from other blocks describing the same product and from OpenGraph
/// tags; then, for what is still missing, the visible page (price near the heading and
/// add-to-cart, an out-of-stock notice). No network, no LLM.
public enum Extractor {
    public static func extract(html: [UInt8], url: String?, limits: ExtractionLimits = ExtractionLimits()) throws -> ProductRecord {
        let bytes = try HTMLInput.decode(html, limits: limits)
        let document = try HTMLDocument(html: bytes)
        return extract(document: document, url: url, limits: limits)
    }

    public static func extract(document: HTMLDocument, url: String?, limits: ExtractionLimits = ExtractionLimits()) -> ProductRecord {
        let openGraph = OpenGraphReader.properties(in: document)
        let ogURL = openGraph.first(where: { $0.name == "og:url" })?.content
        let pageURL = url ?? document.canonicalURL ?? ogURL
        let context = MainProductChooser.PageContext(url: pageURL, titles: titles(of: document, openGraph: openGraph))

        var structured = JSONLDReader.candidates(in: JSONLDReader.blocks(in: document, limits: limits), pageURL: pageURL)
        structured += MicrodataReader.candidates(in: MicrodataReader.items(in: document), pageURL: pageURL)
        // App state is the least tidy (and costliest) source: it decides only when markup has
        // no product, and otherwise fills gaps in price, SKU or availability for the same one.
        var appState: [ProductCandidate] = []
        let markupMain = MainProductChooser.choose(structured, context: context)?.record
        if markupMain == nil || markupMain?.price == nil || markupMain?.sku == nil || markupMain?.availability == nil {
            appState = AppStateReader.candidates(in: document, titles: context.titles, limits: limits)
        }
        if structured.isEmpty { structured = appState }

        let ogCandidate = OpenGraphReader.candidate(from: openGraph)
        var record = ProductRecord()
        if let main = MainProductChooser.choose(structured, context: context) {
            record = main.record
            for other in structured + appState where isSameProduct(other.record, as: main.record) {
                record.fillGaps(from: other.record)
            }
            if let og = ogCandidate?.record { record.fillGaps(from: og) }
        } else if let og = ogCandidate?.record {
            record = og
        }
        let landmarks = PageLandmarks(document: document)
        if let price = record.price, let shown = VisiblePriceReader.correction(for: price, in: document, landmarks: landmarks) {
            record.price = shown.amount
            record.currency = shown.currency ?? record.currency
            record.method = .visible
        }
        if record.price == nil, let visible = VisiblePriceReader.price(in: document, landmarks: landmarks) {
            record.price = visible.amount
            record.currency = visible.currency ?? record.currency
            record.method = .visible
        }
        if record.availability == nil, let notice = VisiblePriceReader.availability(in: document, landmarks: landmarks) {
            record.availability = notice
            // A page that says the product is unavailable and has no price of its own in
            // markup shows other sellers' or other products' prices.
            if record.method == .visible { record.price = nil; record.currency = nil }
        }
        if record.sku == nil {
            // A URL that names the item outright (/dp/ASIN, /itm/123) beats a labelled code on
            // the page, which beats productID and an id guessed from the end of the URL.
            record.sku = pageURL.flatMap { IdentifierReader.sku(fromURL: $0, strongOnly: true) }
                ?? IdentifierReader.sku(in: document, landmarks: landmarks)
                ?? record.productID
                ?? pageURL.flatMap { IdentifierReader.sku(fromURL: $0, strongOnly: false) }
        }
        if record.name == nil { record.name = context.titles.first }
        if record.method == nil, record.filledCount > 0 { record.method = .visible }
        return record
    }

    /// Visible main text (headings, product block), capped, for a later stage to hand to an LLM
    /// when the page has nothing structured.
    public static func visibleMainText(of document: HTMLDocument, limits: ExtractionLimits = ExtractionLimits()) -> String {
        let body = document.elements(named: "main").first ?? document.elements(named: "body").first
        guard let body else { return "" }
        return String(document.visibleText(of: body, limit: limits.maxVisibleTextCharacters)
            .prefix(limits.maxVisibleTextCharacters))
    }

    static func titles(of document: HTMLDocument, openGraph: [OpenGraphReader.Property]) -> [String] {
        var titles: [String] = []
        if let h1 = document.elements(named: "h1").first { titles.append(document.visibleText(of: h1, limit: 500)) }
        if let og = openGraph.first(where: { $0.name == "og:title" })?.content { titles.append(og) }
        if let title = document.title { titles.append(title) }
        return titles.filter { !$0.isEmpty }
    }

    /// Two blocks describe the same product when they share an identifier or a name.
    static func isSameProduct(_ a: ProductRecord, as b: ProductRecord) -> Bool {
        if let x = a.sku, let y = b.sku { return x == y }
        if let x = a.gtin, let y = b.gtin { return x == y }
        if let x = a.name, let y = b.name {
            return MainProductChooser.similarity(x, y) >= 0.8 && MainProductChooser.similarity(y, x) >= 0.8
        }
        return false
    }
}
