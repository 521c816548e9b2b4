/// Reads OpenGraph (`og:*`) and the product tags shops add beside it (`product:price:amount`,
/// `og:price:amount`, `product:availability`, `product:brand`, ...).
public enum OpenGraphReader {
    public struct Property: Sendable, Equatable {
        public let name: String
        public let content: String
    }

    static let prefixes = ["og:", "product:", "article:", "music:", "video:", "book:", "profile:", "fb:", "twitter:"]

    /// `<meta property|name="og:..." content="...">` in document order.
    public static func properties(in document: HTMLDocument) -> [Property] {
        var found: [Property] = []
        for meta in document.elements(named: "meta") {
            let node = document.nodes[meta]
            guard let name = node.attribute("property") ?? node.attribute("name"),
                  let content = node.attribute("content") else { continue }
            let key = name.trimmingSpaces().lowercased()
            guard prefixes.contains(where: { key.hasPrefix($0) }) else { continue }
            found.append(Property(name: key, content: content.trimmingSpaces()))
        }
        return found
    }

    static func candidate(from properties: [Property]) -> ProductCandidate? {
        func first(_ names: String...) -> String? {
            for name in names {
                if let value = properties.first(where: { $0.name == name && !$0.content.isEmpty })?.content {
                    return HTMLEntities.decode(value)
                }
            }
            return nil
        }
        var record = ProductRecord()
        record.name = first("og:title", "twitter:title")
        record.description = first("og:description", "twitter:description")
        record.image = first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
        record.url = first("og:url")
        record.brand = first("product:brand", "og:brand")
        record.sku = first("product:retailer_item_id", "product:sku", "og:sku")
        record.gtin = first("product:ean", "product:gtin", "product:upc", "product:isbn", "og:upc", "og:ean")
        record.mpn = first("product:mfr_part_no", "og:mpn")
        record.availability = first("product:availability", "og:availability").flatMap(Availability.normalize)
        record.condition = first("product:condition", "og:condition").map(ConditionNormalizer.normalize)
        let amount = first("product:sale_price:amount", "product:price:amount", "og:price:amount", "product:price",
                           "og:price", "product:original_price:amount")
        let currency = first("product:sale_price:currency", "product:price:currency", "og:price:currency",
                             "product:original_price:currency")
        if let amount, let price = SchemaProductMapper.parse(.string(amount), currency: currency) {
            record.price = price.amount
            record.currency = price.currency
        }
        let type = first("og:type")?.lowercased() ?? ""
        let isProduct = type.hasPrefix("product") || record.price != nil || type == "og:product"
        guard record.filledCount > 0 else { return nil }
        record.method = .openGraph
        return ProductCandidate(record: record, order: 0, size: isProduct ? properties.count : 0)
    }
}
