import Extraction
import JSON
import Pipeline

/// `retail-price-details`: the maker page's price and product facts. The page is fetched and
/// read with `Extraction` (structured data, then the visible page); a page that shows its
/// price only after its scripts ran, or that turns the fetch away, is read as the browser
/// renders it; only when structured data gives no name or price does an LLM read the visible
/// text (and without an LLM, the visible page stands).
public struct RetailDetailsProducer: KeyedProducer {
    public static let key = StageKey<RetailDetails>("retail-price-details")
    let pages: any PageSource
    let renderer: (any PageRenderer)?
    let chat: (any StructuredChat)?

    /// `renderer`: the browser for script-only pages (nil: fetched HTML only). `chat`: the LLM
    /// for pages without structured data (nil: visible-page reading).
    public init(pages: any PageSource, renderer: (any PageRenderer)?, chat: (any StructuredChat)?) {
        self.pages = pages
        self.renderer = renderer
        self.chat = chat
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> RetailDetails {
        let maker = try inputs.get(ProducerURLProducer.key)
        let details = try details(for: maker, timeoutMillis: context.remainingMillis)
        context.emit(stage, details.json)
        return details
    }

    /// Statuses with which a site turns away clients that do not look like a browser.
    static let refusals: Set<Int> = [401, 403, 406, 429, 503]

    public func details(for maker: MakerPage, timeoutMillis: Int) throws(StageError) -> RetailDetails {
        let deadline = Clock.millis() + timeoutMillis
        var page: ReadPage?
        var fetchError: StageError?
        do {
            let fetched = try pages.fetchPage(maker.link, timeoutMillis: timeoutMillis)
            page = try ReadPage(html: fetched.body, url: fetched.url)
        } catch let error as StageError {
            fetchError = error
        } catch {
            fetchError = StageError(code: "fetch_failed", message: "\(maker.link): \(error)", retryable: true)
        }
        // The browser is for pages that need it: no price in the fetched HTML, or a refusal.
        // Never for a fetch the guard blocked (an internal address stays unreached).
        let refused = fetchError.map { $0.code == "fetch_status" || $0.code == "fetch_failed" } ?? false
        if let renderer, page?.record.price == nil, refused || fetchError == nil {
            if let rendered = try? renderer.render(maker.link, timeoutMillis: max(0, deadline - Clock.millis())),
               let read = try? ReadPage(html: Array(rendered.html.utf8), url: rendered.url),
               read.record.price != nil || page == nil
            {
                page = read
            }
        }
        guard let page else { throw fetchError ?? StageError(code: "retail_not_found", message: "\(maker.link) could not be read") }

        var details = page.details(producerURL: maker.link)
        if !page.structuredNameAndPrice, chat != nil, let answer = askLLM(page, maker: maker) {
            details = answer.merged(into: details)
        }
        guard details.price != nil || details.originalName != nil else {
            throw StageError(code: "retail_not_found", message: "\(maker.link) names no product and no price")
        }
        return details
    }

    private func askLLM(_ page: ReadPage, maker: MakerPage) -> RetailDetails? {
        guard let chat else { return nil }
        let system = """
            You read a product page's visible text and report the product's name, its current price as a decimal \
            number without currency symbols, the ISO 4217 currency, a one-paragraph description, the main material, \
            and its specifications as name/value pairs. Use null where the page does not say.
            """
        let user = "Page: \(maker.link)\n\n" + QuotedText.block(page.visibleText, what: "page text")
        let nullableString: JSONValue = ["type": .array(["string", "null"])]
        let schema: JSONValue = [
            "type": "object", "additionalProperties": false,
            "required": ["name", "price", "currency", "description", "material", "specs"],
            "properties": [
                "name": nullableString, "price": nullableString, "currency": nullableString,
                "description": nullableString, "material": nullableString,
                "specs": ["type": "array", "items": [
                    "type": "object", "additionalProperties": false, "required": ["name", "value"],
                    "properties": ["name": ["type": "string"], "value": ["type": "string"]],
                ]],
            ],
        ]
        guard let answer = try? chat.complete(system: system, user: user, schemaName: "retail_details", schema: schema) else {
            return nil
        }
        func text(_ key: String) -> String? {
            answer[key]?.stringValue.map(\.strippedOfSpaces).flatMap { $0.isEmpty ? nil : $0 }
        }
        var currency = text("currency")?.uppercased()
        if let code = currency, code.count != 3 || !code.allSatisfy({ $0.isLetter }) { currency = nil }
        // The LLM's price must be a number this project can write as money; otherwise it is dropped.
        var price = text("price").flatMap { Money.decimal($0, currency: currency) }
        if let raw = text("price"), price == nil {
            let parsed = PriceParser.parse(raw, options: .init(defaultCurrency: currency))
            price = parsed.amount.flatMap { Money.decimal($0, currency: parsed.currency ?? currency) }
            currency = currency ?? parsed.currency
        }
        let specs = (answer["specs"]?.arrayValue ?? []).compactMap { item -> (name: String, value: String)? in
            guard let name = item["name"]?.stringValue, let value = item["value"]?.stringValue, !name.isEmpty, !value.isEmpty else { return nil }
            return (name, value)
        }
        guard text("name") != nil || price != nil else { return nil }
        return RetailDetails(producerURL: maker.link, price: price, currency: price == nil ? nil : currency,
                             originalName: text("name"), description: text("description"), material: text("material"),
                             specs: specs, method: "llm")
    }
}

/// A fetched or rendered maker page, read.
struct ReadPage {
    let url: String
    let record: ProductRecord
    let facts: PageFacts
    let visibleText: String

    init(html: [UInt8], url: String) throws {
        let document = try HTMLDocument(html: HTMLInput.decode(html))
        self.url = url
        record = Extractor.extract(document: document, url: url)
        facts = PageFacts(document: document)
        visibleText = Extractor.visibleMainText(of: document)
    }

    /// Name and price both came from markup or app state (not read off the visible page).
    var structuredNameAndPrice: Bool {
        record.price != nil && record.name != nil && record.method != nil && record.method != .visible
    }

    func details(producerURL: String) -> RetailDetails {
        let price = record.price.flatMap { Money.decimal($0, currency: record.currency) }
        let specs = record.specs.isEmpty ? facts.specs : record.specs.map { (name: $0.name, value: $0.value) }
        return RetailDetails(
            producerURL: producerURL, price: price, currency: price == nil ? nil : record.currency,
            originalName: record.name, description: record.description ?? facts.metaDescription,
            material: record.material ?? facts.value(for: PageFacts.materialLabels), specs: specs,
            availability: record.availability, sku: record.sku, gtin: record.gtin, brand: record.brand, image: record.image,
            method: record.method == .visible || record.method == nil ? "visible" : "structured-data")
    }
}

extension RetailDetails {
    /// The LLM's reading where it has one, this record's facts (identifiers, availability,
    /// image) for the rest.
    func merged(into base: RetailDetails) -> RetailDetails {
        var out = base
        out.originalName = originalName ?? base.originalName
        if let price {
            out.price = price
            out.currency = currency ?? base.currency
        }
        out.description = description ?? base.description
        out.material = material ?? base.material
        if !specs.isEmpty { out.specs = specs }
        out.method = "llm"
        return out
    }

    /// The `retail-price-details` payload (PROTOCOL.md keys first).
    public var json: JSONValue {
        var object: JSONObject = [
            "producer_url": .string(producerURL), "price": .optional(price), "currency": .optional(currency),
            "original_name": .optional(originalName), "description": .optional(description), "material": .optional(material),
            "specs": .array(specs.map { ["name": .string($0.name), "value": .string($0.value)] }),
        ]
        object["availability"] = .optional(availability)
        object["sku"] = .optional(sku)
        object["gtin"] = .optional(gtin)
        object["brand"] = .optional(brand)
        object["image"] = .optional(image)
        object["method"] = .string(method)
        return .object(object)
    }
}
