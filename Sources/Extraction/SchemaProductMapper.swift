import JSON

/// Turns one schema.org Product (or ProductGroup / IndividualProduct ...) into a ProductRecord:
/// offers as an object, a list or an AggregateOffer, prices in `price`, `lowPrice` or a
/// `priceSpecification`, brand as text or an object, identifiers under their several names.
struct SchemaProductMapper {
    /// Resolves `{"@id": "..."}` references to the node the page defines elsewhere.
    var resolve: (JSONValue) -> JSONValue = { $0 }
    /// The page URL, to pick the variant or offer the page is about.
    var pageURL: String?

    static let productTypes: Set<String> = [
        "Product", "ProductGroup", "IndividualProduct", "ProductModel", "SomeProducts", "Vehicle", "Car",
        "Book", "Motorcycle",
    ]

    func record(for product: JSONValue, method: ExtractionMethod) -> ProductRecord {
        var product = resolve(product)
        var group: JSONValue?
        if SchemaValue.types(product).contains("ProductGroup"), let variant = chosenVariant(of: product) {
            group = product
            product = variant
        }
        var record = ProductRecord()
        record.name = SchemaValue.text(product["name"])
        record.brand = SchemaValue.text(resolveAll(product["brand"])) ?? SchemaValue.text(resolveAll(product["manufacturer"]))
        record.sku = SchemaValue.text(product["sku"]).flatMap(Self.cleanIdentifier)
        record.productID = SchemaValue.text(product["productID"]).flatMap(Self.cleanIdentifier)
        record.gtin = ["gtin13", "gtin", "gtin12", "gtin14", "gtin8", "ean", "isbn"].lazy
            .compactMap { SchemaValue.text(product[$0]) }.first
        record.mpn = SchemaValue.text(product["mpn"])
        record.description = SchemaValue.text(product["description"])
        record.material = SchemaValue.text(product["material"])
        record.image = SchemaValue.url(resolveAll(product["image"]))
        record.url = SchemaValue.text(product["url"]) ?? SchemaValue.text(product["@id"])
        record.specs = specs(of: product)
        applyOffers(of: product, to: &record)
        record.condition = SchemaValue.text(product["itemCondition"]).map(ConditionNormalizer.normalize) ?? record.condition
        if let group {
            var fallback = groupRecord(group, method: method)
            fallback.url = nil
            record.fillGaps(from: fallback)
        }
        record.method = method
        return record
    }

    private func groupRecord(_ group: JSONValue, method: ExtractionMethod) -> ProductRecord {
        var copy = group
        if case .object(var object) = copy {
            object["hasVariant"] = nil
            copy = .object(object)
        }
        return SchemaProductMapper(resolve: resolve, pageURL: pageURL).record(for: copy, method: method)
    }

    private func resolveAll(_ value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        if case .array(let items) = value { return .array(items.map(resolve)) }
        return resolve(value)
    }

    /// The variant the page URL names (by URL, sku or id in the query), else the first that
    /// can be bought, else the first.
    private func chosenVariant(of group: JSONValue) -> JSONValue? {
        let variants = SchemaValue.values(group["hasVariant"]).map(resolve)
        guard !variants.isEmpty else { return nil }
        if let pageURL {
            let page = URLText.comparable(pageURL)
            if let match = variants.first(where: { variant in
                SchemaValue.text(variant["url"]).map(URLText.comparable) == page
            }) { return match }
            if let match = variants.first(where: { variant in
                [SchemaValue.text(variant["sku"]), SchemaValue.text(variant["productID"])]
                    .compactMap { $0 }.contains { URLText.queryValues(pageURL).contains($0) }
            }) { return match }
        }
        return variants.first(where: { variant in
            let offers = SchemaValue.values(variant["offers"]).map(resolve)
            return offers.contains { Availability.normalize(SchemaValue.text($0["availability"]) ?? "") == "InStock" }
        }) ?? variants[0]
    }

    private func specs(of product: JSONValue) -> [ProductRecord.Spec] {
        var specs: [ProductRecord.Spec] = []
        for property in SchemaValue.values(product["additionalProperty"]).map(resolve) {
            if let name = SchemaValue.text(property["name"]), let value = SchemaValue.text(property["value"]) {
                specs.append(.init(name: name, value: value))
            }
        }
        for key in ["color", "size", "pattern", "weight", "width", "height", "depth", "model"] {
            if let value = SchemaValue.text(resolveAll(product[key])) { specs.append(.init(name: key, value: value)) }
        }
        return specs
    }

    /// Price, currency, availability and condition from the offers. Several offers are usually
    /// sizes or sellers: the first one in stock with a price sets the price, and the product
    /// counts as available when any offer is.
    private func applyOffers(of product: JSONValue, to record: inout ProductRecord) {
        let offers = flattenOffers(SchemaValue.values(product["offers"]).map(resolve))
        var priced: [(offer: JSONValue, price: ParsedPrice)] = []
        var availabilities: [String] = []
        for offer in offers {
            if let availability = SchemaValue.text(offer["availability"]).flatMap(Availability.normalize) {
                availabilities.append(availability)
            }
            if let price = price(of: offer), price.amount != nil { priced.append((offer, price)) }
        }
        let buyable = priced.filter { Availability.normalize(SchemaValue.text($0.offer["availability"]) ?? "") == "InStock" }
        // Of several offers the lowest is what the page sells at (a sale price beside the
        // list price, the cheapest seller); offers in another currency are not compared.
        let pool = buyable.isEmpty ? priced : buyable
        let lowest = pool.filter { $0.price.currency == pool.first?.price.currency }
            .min { DecimalText.less($0.price.amount, $1.price.amount) }
        if let chosen = lowest {
            record.price = chosen.price.amount
            record.currency = chosen.price.currency
            record.condition = SchemaValue.text(chosen.offer["itemCondition"]).map(ConditionNormalizer.normalize)
            record.sku = record.sku ?? SchemaValue.text(chosen.offer["sku"])
            record.gtin = record.gtin ?? SchemaValue.text(chosen.offer["gtin13"]) ?? SchemaValue.text(chosen.offer["gtin"])
        } else if let first = offers.first {
            record.condition = SchemaValue.text(first["itemCondition"]).map(ConditionNormalizer.normalize)
        }
        if availabilities.contains("InStock") {
            record.availability = "InStock"
        } else {
            record.availability = availabilities.first
        }
    }

    /// AggregateOffers that list their offers contribute those offers after themselves.
    private func flattenOffers(_ offers: [JSONValue]) -> [JSONValue] {
        var out: [JSONValue] = []
        for offer in offers {
            out.append(offer)
            if SchemaValue.types(offer).contains("AggregateOffer") {
                out += SchemaValue.values(offer["offers"]).map(resolve)
            }
        }
        return out
    }

    /// An offer's price: `price`, else `lowPrice`, else a priceSpecification that is not a
    /// list/strike-through price. Text prices go through the price parser; plain JSON numbers
    /// and schema-style "12.50" strings are taken as written.
    func price(of offer: JSONValue) -> ParsedPrice? {
        let currency = SchemaValue.text(offer["priceCurrency"])
        var raw = offer["price"] ?? offer["lowPrice"]
        if raw == nil || raw == .null || raw == .string("") {
            let specifications = SchemaValue.values(offer["priceSpecification"]).map(resolve)
            let current = specifications.first { spec in
                let kind = SchemaValue.text(spec["priceType"]).map(SchemaValue.bareName) ?? ""
                return !["ListPrice", "StrikethroughPrice", "MSRP", "SRP"].contains(kind)
            } ?? specifications.first
            if let current {
                raw = current["price"] ?? current["minPrice"]
                if let inner = SchemaValue.text(current["priceCurrency"]) { return Self.parse(raw, currency: inner) }
            }
        }
        return Self.parse(raw, currency: currency)
    }

    /// "TE502955-1293415 Housse de canapé" → "TE502955-1293415": shops sometimes append the name;
    /// "sku:123" style prefixes stay, as the page wrote them.
    static func cleanIdentifier(_ raw: String) -> String? {
        let tokens = raw.split(separator: " ")
        guard let first = tokens.first else { return nil }
        if tokens.count > 1, first.contains(where: \.isNumber), first.count >= 4 { return String(first) }
        return raw
    }

    static func parse(_ raw: JSONValue?, currency: String?) -> ParsedPrice? {
        guard let raw, let text = SchemaValue.text(raw) else { return nil }
        let iso = currency.flatMap { CurrencyTable.isoCode(for: $0) }
        var parsed: ParsedPrice
        if case .number(let literal) = raw, let plain = PlainDecimal.normalize(literal) {
            parsed = ParsedPrice(amount: plain)
        } else if let plain = PlainDecimal.normalize(text) {
            parsed = ParsedPrice(amount: plain)
        } else {
            parsed = PriceParser.parse(text, options: .init(defaultCurrency: iso))
        }
        if let iso { parsed.currency = iso } else if parsed.currency == nil, let currency { parsed.currencyText = currency }
        // Zero is what templates print when the real price is elsewhere.
        if let amount = parsed.amount, DecimalText.isZero(amount) { parsed.amount = nil }
        return parsed
    }
}
