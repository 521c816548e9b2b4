import Extraction
import PhotoReading
import Pipeline

/// What the photo itself says about the product, as evidence for `model-producer` beside the
/// visual matches and the LLM. A barcode is an exact identity: its GTIN is searched as such (the
/// web search and the marketplace searches get the number as their query) and a page whose
/// structured data states the same GTIN names the product. Printed text gives brands from the
/// brand list and model-number-like tokens. The decision says which evidence decided
/// (`evidence`: "barcode", "text", beside "visual-matches" and "llm"). Barcode databases (Open
/// Food Facts, UPCitemdb, Open Library), when configured, are asked before any web search; the
/// one that names the product is the decision's `source`.
public struct PhotoEvidence: Sendable {
    let barcodeLookup: BarcodeLookup?
    let webSearch: (any SearchService)?
    let marketplaceSearches: [any SearchService]
    let pages: (any PageSource)?
    let limits: Limits

    public struct Limits: Sendable {
        /// Pages found by GTIN that are read for structured data, at most.
        public var maxPages = 5
        /// Time one such page may take.
        public var pageTimeoutMillis = 4_000
        /// Time one GTIN search may take.
        public var searchTimeoutMillis = 15_000
        public init() {}
    }

    public init(webSearch: (any SearchService)?, marketplaceSearches: [any SearchService], pages: (any PageSource)?,
                barcodeLookup: BarcodeLookup? = nil, limits: Limits = Limits())
    {
        self.barcodeLookup = barcodeLookup
        self.webSearch = webSearch
        self.marketplaceSearches = marketplaceSearches
        self.pages = pages
        self.limits = limits
    }

    /// What the photo-reading stages handed over (either may have failed or be absent).
    public struct Reading: Sendable {
        public var barcodes: [Barcode]
        public var text: PhotoText?

        public init(barcodes: [Barcode] = [], text: PhotoText? = nil) {
            self.barcodes = barcodes
            self.text = text
        }

        /// From `model-producer`'s optional inputs `barcodes` and `photo-text`.
        public init(_ inputs: StageInputs) {
            self.init(barcodes: inputs.optional(BarcodesProducer.key) ?? [], text: inputs.optional(PhotoTextProducer.key))
        }
    }

    public struct Decision: Sendable, Equatable {
        public var identity: ProductIdentity?
        /// Which evidence decided, strongest first.
        public var evidence: [String]
        /// The GTIN read from the photo (14 digits), also when nothing names it.
        public var gtin: String?
        /// The barcode database that named the product (nil: none did).
        public var source: String?
        /// Barcode databases that could not answer (the web search was asked instead).
        public var failures: [WebAPIFailure] = []
    }

    /// The identity after weighing the photo's own evidence against `current` (what the visual
    /// matches or the LLM concluded, with `evidence` saying which). A GTIN that a page confirms
    /// wins over titles; text only corroborates, or names the product when nothing else does.
    public func decide(current: ProductIdentity?, evidence: [String], reading: Reading, timeoutMillis: Int) -> Decision {
        let deadline = Clock.millis() + timeoutMillis
        var decision = Decision(identity: current, evidence: current == nil ? [] : evidence, gtin: nil)
        // EAN-13 and UPC-A first: the forms shops index.
        let barcode = reading.barcodes.first { $0.symbology == .ean13 || $0.symbology == .upcA } ?? reading.barcodes.first
        if let barcode {
            decision.gtin = barcode.gtin
            var named: ProductIdentity?
            if let barcodeLookup {
                // A database entry names the product outright: no search, no page to read.
                let found = barcodeLookup.lookup(barcode.gtin, timeoutMillis: min(barcodeLookup.limits.timeoutMillis, timeoutMillis))
                decision.failures = found.failures
                if let product = found.products.first(where: { $0.identity != nil }) {
                    named = product.identity
                    decision.source = product.source
                }
            }
            if let named = named ?? resolve(barcode, deadline: deadline) {
                let agrees = current.map { PhotoEvidence.sameMaker($0.producer, named.producer) } ?? false
                decision.identity = named
                decision.evidence = agrees ? ["barcode"] + evidence.filter { $0 != "barcode" } : ["barcode"]
            }
        }
        if let text = reading.text, !text.words.isEmpty {
            let brands = PhotoEvidence.brands(in: text.text)
            if let identity = decision.identity {
                if brands.contains(where: { PhotoEvidence.sameMaker($0, identity.producer) }) { decision.evidence.append("text") }
            } else if let brand = brands.first, let model = PhotoEvidence.modelNumbers(in: text.text).first {
                decision.identity = ProductIdentity(producer: brand, model: model, confidence: 0.5, method: "heuristic")
                decision.evidence = ["text"]
            }
        }
        return decision
    }

    /// The product a GTIN names: a page found by searching for the number whose structured data
    /// states the same GTIN; else the titles the searches showed for it, when they agree.
    func resolve(_ barcode: Barcode, deadline: Int) -> ProductIdentity? {
        var hits: [SearchHit] = []
        for service in [webSearch].compactMap({ $0 }) + marketplaceSearches {
            let left = deadline - Clock.millis() - limits.pageTimeoutMillis
            guard left > 0 else { break }
            // A search that fails leaves the others; the photo still says what it says.
            hits += (try? service.search(barcode.searchText, timeoutMillis: min(left, limits.searchTimeoutMillis))) ?? []
        }
        var seen = Set<String>()
        let unique = hits.filter { seen.insert($0.link).inserted }
        if let pages {
            for hit in unique.prefix(limits.maxPages) {
                let cap = min(limits.pageTimeoutMillis, deadline - Clock.millis())
                guard cap > 0 else { break }
                guard let page = try? pages.fetchPage(hit.link, timeoutMillis: cap), (200..<300).contains(page.status),
                      let record = try? Extractor.extract(html: page.body, url: page.url),
                      let stated = record.gtin.flatMap(GTIN.normalized), stated == barcode.gtin,
                      let name = record.name?.trimmedSpaces, !name.isEmpty
                else { continue }
                if let identity = PhotoEvidence.identity(name: name, brand: record.brand, titles: unique.map(\.title)) { return identity }
            }
        }
        // No page states the number: the results' titles, if they agree, still name it (less surely).
        guard let agreed = TitleConsensus().identify(titles: unique.map(\.title)) else { return nil }
        return ProductIdentity(producer: agreed.producer, model: agreed.model, confidence: min(agreed.confidence, 0.6), method: "heuristic")
    }

    /// Maker and model from a page's product name and brand (the brand from the titles when the
    /// page states none).
    static func identity(name: String, brand: String?, titles: [String]) -> ProductIdentity? {
        let producer = brand?.trimmedSpaces.nonEmpty ?? TitleConsensus().identify(titles: [name] + titles)?.producer
        guard let producer else { return nil }
        var model = name
        if model.lowercased().hasPrefix(producer.lowercased() + " ") { model = String(model.dropFirst(producer.count + 1)) }
        return ProductIdentity(producer: producer, model: model.trimmedSpaces, confidence: 0.95, method: "heuristic")
    }

    static func sameMaker(_ a: String, _ b: String) -> Bool {
        let canonical = { (s: String) in BrandCatalog.byAlias[s.lowercased()] ?? s.lowercased() }
        return canonical(a) == canonical(b)
    }

    /// Brands of the brand list printed in the text, first seen first. Aliases of three letters
    /// or fewer ("lv", "hay", "on") are too easily read out of noise and are left out.
    static func brands(in text: String) -> [String] {
        let words = tokens(text).map { $0.lowercased() }
        var found: [String] = []
        for start in words.indices {
            for length in 1...BrandCatalog.longestAlias where start + length <= words.count {
                let phrase = words[start..<start + length].joined(separator: " ")
                guard phrase.count > 3, let brand = BrandCatalog.byAlias[phrase], !found.contains(brand) else { continue }
                found.append(brand)
            }
        }
        return found
    }

    /// Tokens that look like model numbers (`WH-1000XM4`, `KX-T7730`, `A1234`): letters and
    /// digits together, 3 to 20 characters, not a quantity with its unit (`350ml`, `40mm`) and
    /// not a bare number (prices, dates, the barcode's own digits).
    static func modelNumbers(in text: String) -> [String] {
        tokens(text).filter { token in
            let digits = token.filter(\.isNumber).count
            let letters = token.filter(\.isLetter).count
            guard (3...20).contains(token.count), digits > 0, letters > 0 else { return false }
            let unit = token.lowercased().drop { $0.isNumber || $0 == "." || $0 == "," }
            return !TitleWords.units.contains(String(unit)) && !["x", "h", "s", "pcs", "st", "kcal", "kj"].contains(String(unit))
        }
    }

    /// Words of OCR text: letters, digits and the dashes and slashes inside model numbers.
    static func tokens(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "/" || $0 == "'" || $0 == "&") })
            .map { String($0).trimmingCharacters(in: "-") }
            .filter { !$0.isEmpty }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
