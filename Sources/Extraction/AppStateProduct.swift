import JSON

/// Reads one app-state object as a product, trying the key names storefront frameworks use.
enum AppStateProduct {
    static let nameKeys = ["name", "productName", "title", "displayName"]
    static let priceKeys = ["price", "salePrice", "currentPrice", "finalPrice", "sellingPrice", "offerPrice",
                            "priceAmount", "specialPrice", "activePrice", "formattedPrice"]
    static let skuKeys = ["sku", "skuId", "productSku", "itemNumber", "articleNumber"]
    static let currencyKeys = ["currency", "priceCurrency", "currencyCode", "currencyIso"]
    static let availabilityKeys = ["availability", "stockStatus", "inventoryStatus", "availabilityStatus",
                                   "isInStock", "inStock", "available"]

    static func record(from object: JSONObject) -> ProductRecord? {
        guard let name = first(nameKeys, in: object).flatMap(text), !name.isEmpty, name.count <= 300 else { return nil }
        guard let (rawPrice, key) = firstWithKey(priceKeys, in: object) else { return nil }
        var record = ProductRecord()
        let currency = first(currencyKeys, in: object).flatMap(text)
        guard let price = price(from: rawPrice, key: key, currency: currency), price.amount != nil else { return nil }
        record.name = name
        record.price = price.amount
        record.currency = price.currency
        record.sku = first(skuKeys, in: object).flatMap(text).flatMap(IdentifierReader.identifier)
        record.brand = first(["brand", "brandName", "manufacturer"], in: object).flatMap(text)
        record.gtin = first(["gtin", "gtin13", "ean", "upc"], in: object).flatMap(text)
        record.mpn = first(["mpn", "manufacturerPartNumber"], in: object).flatMap(text)
        record.description = first(["description", "shortDescription"], in: object).flatMap(text)
        record.image = first(["image", "imageUrl", "imageURL", "mainImage", "images"], in: object).flatMap(SchemaValue.url)
        record.availability = first(availabilityKeys, in: object).flatMap(text).flatMap(Availability.normalize)
        record.condition = first(["condition", "itemCondition"], in: object).flatMap(text).map(ConditionNormalizer.normalize)
        record.method = .appState
        return record
    }

    private static func first(_ keys: [String], in object: JSONObject) -> JSONValue? {
        firstWithKey(keys, in: object)?.0
    }

    private static func firstWithKey(_ keys: [String], in object: JSONObject) -> (JSONValue, String)? {
        for key in keys {
            if let value = object[key], value != .null { return (value, key) }
        }
        return nil
    }

    /// Strings, numbers and booleans as text; objects by their name/value/label.
    private static func text(_ value: JSONValue) -> String? {
        SchemaValue.text(value) ?? SchemaValue.text(value["label"]) ?? SchemaValue.text(value["displayValue"])
    }

    /// A price value: a number, a formatted string, or an object holding one
    /// ({"value": 12.5, "currency": "EUR"}, {"amount": "12.50"}, {"raw": 1250, "display": "12,50 €"}).
    private static func price(from value: JSONValue, key: String, currency: String?) -> ParsedPrice? {
        switch value {
        case .number, .string:
            return SchemaProductMapper.parse(value, currency: currency)
        case .object(let object):
            let inner = ["value", "amount", "current", "price", "display", "formatted"].lazy
                .compactMap { object[$0] }.first { if case .object = $0 { return false } else { return true } }
            let innerCurrency = currency ?? ["currency", "currencyCode", "currencyIso"].lazy
                .compactMap { object[$0]?.stringValue }.first
            return inner.flatMap { SchemaProductMapper.parse($0, currency: innerCurrency) }
        default:
            return nil
        }
    }
}
