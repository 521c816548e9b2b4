/// Availability values from markup, app state and page text, as schema.org ItemAvailability names.
public enum Availability {
    static let names: [String: String] = {
        var table: [String: String] = [:]
        for name in ["InStock", "OutOfStock", "PreOrder", "BackOrder", "Discontinued", "LimitedAvailability",
                     "OnlineOnly", "InStoreOnly", "SoldOut", "PreSale", "Reserved", "MadeToOrder"] {
            table[name.lowercased()] = name
        }
        let aliases: [(String, String)] = [
            ("in stock", "InStock"), ("in_stock", "InStock"), ("available", "InStock"), ("instock", "InStock"),
            ("true", "InStock"), ("in-stock", "InStock"), ("on stock", "InStock"), ("auf lager", "InStock"),
            ("en stock", "InStock"), ("disponible", "InStock"), ("lieferbar", "InStock"), ("verfügbar", "InStock"),
            ("out of stock", "OutOfStock"), ("out_of_stock", "OutOfStock"), ("out-of-stock", "OutOfStock"),
            ("oos", "OutOfStock"), ("unavailable", "OutOfStock"), ("not available", "OutOfStock"),
            ("false", "OutOfStock"), ("sold out", "SoldOut"), ("sold_out", "SoldOut"), ("soldout", "SoldOut"),
            ("ausverkauft", "SoldOut"), ("épuisé", "SoldOut"), ("agotado", "SoldOut"), ("esaurito", "SoldOut"),
            ("nicht verfügbar", "OutOfStock"), ("rupture de stock", "OutOfStock"),
            ("pre-order", "PreOrder"), ("preorder", "PreOrder"), ("pre order", "PreOrder"),
            ("backorder", "BackOrder"), ("back order", "BackOrder"), ("backordered", "BackOrder"),
            ("limited", "LimitedAvailability"), ("low stock", "LimitedAvailability"),
        ]
        for (alias, name) in aliases { table[alias] = name }
        return table
    }()

    /// "http://schema.org/InStock", "instock", "In stock", "out_of_stock" → schema.org name.
    public static func normalize(_ raw: String) -> String? {
        var text = raw.trimmingSpaces()
        for prefix in ["http://schema.org/", "https://schema.org/", "http://schema.org", "schema:", "https://schema.org"]
        where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        return names[text.lowercased().trimmingSpaces()]
    }

    /// Values that say the product cannot be bought now.
    public static func isUnavailable(_ name: String?) -> Bool {
        name == "OutOfStock" || name == "SoldOut" || name == "Discontinued"
    }
}
