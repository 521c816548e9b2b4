import JSON

/// What the demo's vision model answers, by schema name, the way a model would read the prompt
/// and look at the photo: a demo sample photo is recognised by its bytes (this replicates a vision
/// model's contract for the demo catalog; it is not a model), and product names in the text are
/// read against the catalog. Shared by `DemoLLMServer` and the tests' request-checking server.
public enum DemoLLMReplies {
    public static let schemaNames = ["product_identification", "maker_page_choice", "retail_details"]

    /// Whether answering `schemaName` needs the photo in the request.
    public static func needsImage(_ schemaName: String) -> Bool { schemaName == "product_identification" }

    /// The reply object for a request, or nil for a schema name the demo does not know.
    public static func reply(to request: JSONValue) -> JSONValue? {
        let schemaName = request["response_format"]?["json_schema"]?["name"]?.stringValue ?? ""
        let photos = OpenAIChatShape.imageURLs(request).compactMap(OpenAIChatShape.imageBytes)
        return reply(schemaName: schemaName, text: OpenAIChatShape.text(request), photos: photos)
    }

    /// The reply object, or nil for a schema name the demo does not know.
    public static func reply(schemaName: String, text: String, photos: [[UInt8]] = []) -> JSONValue? {
        switch schemaName {
        case "product_identification":
            // The photo first, as a vision model looks before it reads; then the names in the text.
            guard let product = productPictured(in: photos) ?? productNamed(in: text) else {
                return ["producer": "", "model": "", "confidence": 0]
            }
            return ["producer": .string(product.brand), "model": .string(product.name), "confidence": .number("0.9")]
        case "maker_page_choice":
            return ["index": .int(makerPageIndex(in: text))]
        case "retail_details":
            guard let product = productNamed(in: text) ?? productBranded(in: text) else {
                return ["name": "", "price": nil, "currency": nil, "description": nil, "material": nil, "specs": []]
            }
            let cents = LensCatalog.drawings.first { $0.id == product.id }?.usd
            return [
                "name": .string("\(product.brand) \(product.name)"),
                "price": .optional(cents.map(LensCatalog.decimal)),
                "currency": cents == nil ? nil : "USD",
                "description": "From the maker's page.",
                "material": nil,
                "specs": [],
            ]
        default:
            return nil
        }
    }

    /// The catalog product whose sample photo is one of `photos`, byte for byte.
    static func productPictured(in photos: [[UInt8]]) -> LensProduct? {
        photos.lazy.compactMap { photo in LensCatalog.products.first { $0.photo == photo } }.first
    }

    /// The first numbered candidate (`3. https://…`) whose URL holds the matched brand; 0 for none.
    static func makerPageIndex(in text: String) -> Int {
        guard let product = productNamed(in: text) ?? productBranded(in: text) else { return 0 }
        let brand = String(product.brand.lowercased().filter(\.isLetter))
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            let digits = trimmed.prefix(while: \.isNumber)
            guard let index = Int(digits), trimmed.dropFirst(digits.count).hasPrefix(". ") else { continue }
            let url = trimmed.dropFirst(digits.count + 2).prefix(while: { !$0.isWhitespace })
            if url.hasPrefix("http"), url.lowercased().contains(brand) { return index }
        }
        return 0
    }

    static func productNamed(in text: String) -> LensProduct? {
        let lower = text.lowercased()
        return LensCatalog.products.first { lower.contains($0.name.lowercased()) }
    }

    static func productBranded(in text: String) -> LensProduct? {
        let lower = text.lowercased()
        return LensCatalog.products.first { lower.contains($0.brand.lowercased()) }
    }
}
