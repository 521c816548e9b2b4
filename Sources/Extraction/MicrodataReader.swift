import JSON

/// Reads HTML microdata (`itemscope`/`itemtype`/`itemprop`/`itemref`) into schema.org-shaped
/// JSON, the same shape JSON-LD has, so one mapper serves both:
/// `{"@type": "Product", "name": "...", "offers": {"@type": "Offer", ...}}`.
/// Repeated properties become arrays. Values follow the HTML rules (`meta` content, `link`/`a`
/// href, `img` src, `time` datetime, else the text), and a `content` attribute on any element
/// wins, as shops use it to carry the machine-readable price next to the formatted one.
public enum MicrodataReader {
    public struct Item: Sendable {
        /// The element with `itemscope`.
        public let node: Int
        public let value: JSONValue
    }

    /// Top-level items (those that are not themselves a property of another item).
    public static func items(in document: HTMLDocument) -> [Item] {
        let nodes = document.nodes
        var items: [Item] = []
        for index in nodes.indices where nodes[index].kind == .element {
            let node = nodes[index]
            guard node.attribute("itemscope") != nil, node.attribute("itemprop") == nil else { continue }
            items.append(Item(node: index, value: item(at: index, in: document, depth: 0)))
        }
        return items
    }

    static func item(at index: Int, in document: HTMLDocument, depth: Int) -> JSONValue {
        let node = document.nodes[index]
        var object = JSONObject()
        let types = (node.attribute("itemtype") ?? "").split(separator: " ").map { SchemaValue.bareName(String($0)) }
        if types.count == 1 { object["@type"] = .string(types[0]) }
        if types.count > 1 { object["@type"] = .array(types.map(JSONValue.string)) }
        if let id = node.attribute("itemid") { object["@id"] = .string(id) }
        for propertyNode in properties(of: index, in: document) {
            let value: JSONValue
            if document.nodes[propertyNode].attribute("itemscope") != nil {
                value = depth < 16 ? item(at: propertyNode, in: document, depth: depth + 1) : .null
            } else {
                value = .string(propertyValue(of: propertyNode, in: document))
            }
            for name in (document.nodes[propertyNode].attribute("itemprop") ?? "").split(separator: " ") {
                let key = SchemaValue.bareName(String(name))
                switch object[key] {
                case nil: object[key] = value
                case .array(var list)?: list.append(value); object[key] = .array(list)
                case let existing?: object[key] = .array([existing, value])
                }
            }
        }
        return .object(object)
    }

    /// Elements carrying this item's properties: descendants not inside a nested item, plus
    /// the subtrees named by `itemref`.
    static func properties(of index: Int, in document: HTMLDocument) -> [Int] {
        var roots = [index]
        if let refs = document.nodes[index].attribute("itemref") {
            for id in refs.split(separator: " ") {
                if let target = document.nodes.indices.first(where: { document.nodes[$0].attribute("id") == String(id) }) {
                    roots.append(target)
                }
            }
        }
        var found: [Int] = []
        for root in roots {
            let isRef = root != index
            // A referenced property is taken whole; a referenced block's children are its
            // properties, even when the block is an item itself (as extruct reads it).
            if isRef, document.nodes[root].attribute("itemprop") != nil {
                found.append(root)
                continue
            }
            var cursor = root + 1
            while cursor < document.nodes[root].end {
                let node = document.nodes[cursor]
                guard node.kind == .element else { cursor += 1; continue }
                if node.attribute("itemprop") != nil { found.append(cursor) }
                // A nested item's own properties belong to it, not to us.
                cursor = node.attribute("itemscope") != nil ? node.end : cursor + 1
            }
        }
        return found.sorted()
    }

    static func propertyValue(of index: Int, in document: HTMLDocument) -> String {
        let node = document.nodes[index]
        if let content = node.attribute("content") { return content.collapsingWhitespace() }
        let attribute: String? = switch node.name {
        case "meta": "content"
        case "audio", "embed", "iframe", "img", "source", "track", "video": "src"
        case "a", "area", "link": "href"
        case "object": "data"
        case "data", "meter": "value"
        case "time": "datetime"
        default: nil
        }
        if let attribute, let value = node.attribute(attribute) { return value.trimmingSpaces() }
        if node.name == "time" || node.name == "data" || node.name == "meter" { return document.visibleText(of: index) }
        return document.visibleText(of: index)
    }

    static func candidates(in items: [Item], pageURL: String?) -> [ProductCandidate] {
        let mapper = SchemaProductMapper(pageURL: pageURL)
        var found: [ProductCandidate] = []
        func visit(_ value: JSONValue, order: Int, depth: Int) {
            guard depth < 16, case .object(let object) = value else { return }
            if !SchemaProductMapper.productTypes.isDisjoint(with: SchemaValue.types(value)) {
                found.append(ProductCandidate(record: mapper.record(for: value, method: .microdata), order: order,
                                              size: JSONSize.count(value)))
                return
            }
            for (key, child) in object.entries where !JSONLDReader.relatedKeys.contains(key) || key == "itemListElement" {
                for item in SchemaValue.values(child) { visit(item, order: order, depth: depth + 1) }
            }
        }
        for item in items { visit(item.value, order: item.node, depth: 0) }
        return found
    }
}
