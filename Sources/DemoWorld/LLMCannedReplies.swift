import JSON

/// The test server's answers, by schema name. They read the request's text the way a model
/// would read the prompt, against the demo catalog, so stage tests can check exact values.
enum LLMCannedReplies {
    static let schemaNames = ["product_identification", "maker_page_choice", "retail_details"]

    /// Whether answering `schemaName` needs the photo in the request.
    static func needsImage(_ schemaName: String) -> Bool { schemaName == "product_identification" }

    /// The reply object, or nil for a schema name the server does not know.
    static func reply(schemaName: String, text: String) -> JSONValue? {
        switch schemaName {
        case "product_identification":
            guard let product = productNamed(in: text) else { return ["producer": "", "model": "", "confidence": 0] }
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
