import JSON

/// Reads `<script type="application/ld+json">` blocks: leniently (HTML comments and CDATA
/// wrappers, JS comments, trailing commas, raw control characters in strings), with a size
/// cap per block, and finds the products they describe, `@graph` and `@id` links included.
public enum JSONLDReader {
    /// Parsed blocks in document order; unreadable or empty ones are skipped.
    public static func blocks(in document: HTMLDocument, limits: ExtractionLimits = ExtractionLimits()) -> [JSONValue] {
        var blocks: [JSONValue] = []
        for script in document.elements(named: "script") {
            let type = (document.attribute(script, "type") ?? "").lowercased()
            guard type.split(separator: ";").first.map({ String($0).trimmingSpaces() }) == "application/ld+json" else { continue }
            let text = document.rawText(of: script)
            guard text.utf8.count <= limits.maxJSONLDBytes else { continue }
            if let value = parse(text) { blocks.append(value) }
        }
        return blocks
    }

    /// A block's JSON without the HTML comment or CDATA wrappers pages put around it (or a
    /// whole comment before it). Only objects and arrays count: `null` and `false` blocks
    /// are placeholders.
    static func parse(_ text: String) -> JSONValue? {
        var body = text.trimmingSpaces()
        for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>")] {
            if body.hasPrefix(open) {
                let firstJSON = body.firstIndex(where: { $0 == "{" || $0 == "[" }) ?? body.endIndex
                if let end = body.firstRange(of: close), end.upperBound <= firstJSON {
                    body = String(body[end.upperBound...])  // a comment before the JSON
                } else {
                    body = String(body.dropFirst(open.count))  // a wrapper around it
                }
            }
            body = body.trimmingSpaces()
            if body.hasSuffix(close) {
                let lastJSON = body.lastIndex(where: { $0 == "}" || $0 == "]" }) ?? body.startIndex
                if let start = body.ranges(of: open).last, start.lowerBound > lastJSON {
                    body = String(body[..<start.lowerBound])
                } else {
                    body = String(body.dropLast(close.count))
                }
            }
            body = body.trimmingSpaces()
        }
        guard !body.isEmpty, let value = try? JSONParser.parse(body, options: .init(lenient: true)) else { return nil }
        switch value {
        case .object, .array: return value
        default: return nil
        }
    }

    /// Keys under which a product names other products; those are never the page's product.
    static let relatedKeys: Set<String> = [
        "isRelatedTo", "isSimilarTo", "isAccessoryOrSparePartFor", "isConsumableFor", "itemListElement",
        "review", "reviews", "hasVariant", "isVariantOf", "mainEntityOfPage", "subjectOf", "offers",
    ]

    static func candidates(in blocks: [JSONValue], pageURL: String?) -> [ProductCandidate] {
        let graph = SchemaGraph(blocks: blocks)
        let mapper = SchemaProductMapper(resolve: graph.resolve, pageURL: pageURL)
        var found: [ProductCandidate] = []
        var order = 0
        func visit(_ value: JSONValue, depth: Int, inList: Bool) {
            guard depth < 32 else { return }
            switch value {
            case .array(let items):
                for item in items { visit(item, depth: depth + 1, inList: inList) }
            case .object(let object):
                order += 1
                let types = SchemaValue.types(value)
                if !types.isEmpty, !SchemaProductMapper.productTypes.isDisjoint(with: types) {
                    var record = mapper.record(for: value, method: .jsonLD)
                    if inList { record.url = record.url ?? "" }
                    found.append(ProductCandidate(record: record, order: order,
                                                  size: JSONSize.count(value) - (inList ? 1_000 : 0)))
                    return
                }
                // An Offer whose itemOffered is the product (some shops nest it this way round).
                if types.contains("Offer"), let offered = object["itemOffered"] {
                    var record = mapper.record(for: offered, method: .jsonLD)
                    var withOffer = ProductRecord()
                    if let price = mapper.price(of: value) {
                        withOffer.price = price.amount
                        withOffer.currency = price.currency
                    }
                    withOffer.availability = SchemaValue.text(value["availability"]).flatMap(Availability.normalize)
                    record.fillGaps(from: withOffer)
                    found.append(ProductCandidate(record: record, order: order, size: JSONSize.count(value)))
                    return
                }
                for (key, child) in object.entries {
                    if key == "itemListElement" {
                        visit(child, depth: depth + 1, inList: true)
                    } else if !relatedKeys.contains(key) {
                        visit(child, depth: depth + 1, inList: inList)
                    }
                }
            default:
                return
            }
        }
        for block in blocks { visit(block, depth: 0, inList: false) }
        return found
    }
}

/// Nodes by `@id`, so `{"@id": "#product"}` can stand for the node defined elsewhere.
struct SchemaGraph: Sendable {
    private var byID: [String: JSONValue] = [:]

    init(blocks: [JSONValue]) {
        var stack = blocks
        var visited = 0
        while let value = stack.popLast(), visited < 100_000 {
            visited += 1
            switch value {
            case .array(let items): stack += items
            case .object(let object):
                if let id = value["@id"]?.stringValue, object.count > 1 {
                    // The fullest definition wins when a page repeats an id.
                    if byID[id].map({ JSONSize.count($0) < JSONSize.count(value) }) ?? true { byID[id] = value }
                }
                stack += object.entries.map(\.value)
            default: continue
            }
        }
    }

    func resolve(_ value: JSONValue) -> JSONValue {
        guard case .object(let object) = value, object.count == 1, let id = value["@id"]?.stringValue,
              let target = byID[id] else { return value }
        return target
    }
}

/// Number of values in a JSON tree, bounded: a measure of how much a block says.
enum JSONSize {
    static func count(_ value: JSONValue, budget: Int = 5_000) -> Int {
        var total = 0
        var stack = [value]
        while let next = stack.popLast(), total < budget {
            total += 1
            switch next {
            case .array(let items): stack += items
            case .object(let object): stack += object.entries.map(\.value)
            default: continue
            }
        }
        return total
    }
}
