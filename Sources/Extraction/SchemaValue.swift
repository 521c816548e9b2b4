import JSON

/// Reading schema.org-shaped values (from JSON-LD, or microdata turned into the same shape),
/// where any property may be a string, a number, an object or a list of them.
enum SchemaValue {
    /// `@type` as a list of bare names: "http://schema.org/Product" → "Product".
    static func types(_ value: JSONValue) -> [String] {
        let raw: [JSONValue]
        switch value["@type"] {
        case .string(let s)?: raw = [.string(s)]
        case .array(let items)?: raw = items
        default: raw = []
        }
        return raw.compactMap(\.stringValue).map(bareName)
    }

    static func bareName(_ iri: String) -> String {
        var name = iri.trimmingSpaces()
        for prefix in ["http://schema.org/", "https://schema.org/", "schema:", "http://www.schema.org/"]
        where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        return name
    }

    static func values(_ value: JSONValue?) -> [JSONValue] {
        switch value {
        case .array(let items)?: return items
        case nil, .null?: return []
        case let single?: return [single]
        }
    }

    /// A property as text: strings and numbers as written, objects by their name/value/@value.
    static func text(_ value: JSONValue?) -> String? {
        for item in values(value) {
            switch item {
            case .string(let s):
                let cleaned = HTMLEntities.decode(s).collapsingWhitespace()
                if !cleaned.isEmpty { return cleaned }
            case .number(let n): return n
            case .bool(let b): return b ? "true" : "false"
            case .object:
                if let inner = text(item["name"]) ?? text(item["@value"]) ?? text(item["value"]) { return inner }
            default: continue
            }
        }
        return nil
    }

    /// Image URLs: a string, an ImageObject (url/contentUrl), or a list of either.
    static func url(_ value: JSONValue?) -> String? {
        for item in values(value) {
            if case .string(let s) = item, !s.trimmingSpaces().isEmpty { return s.trimmingSpaces() }
            if case .object = item, let inner = url(item["url"]) ?? url(item["contentUrl"]) ?? url(item["@id"]) {
                return inner
            }
        }
        return nil
    }
}
