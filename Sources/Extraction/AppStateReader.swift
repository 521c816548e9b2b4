import JSON

/// Embedded application state: `__NEXT_DATA__`, `application/json` script blocks and
/// `window.__INITIAL_STATE__ = {...}` style assignments. Such blobs hold the whole store
/// (menus, recommendations, the cart), so an object counts as the page's product only when
/// it has a name and a price and the name matches the page's title or heading.
enum AppStateReader {
    /// Global names shops assign their state to.
    static let assignments = ["__INITIAL_STATE__", "__PRELOADED_STATE__", "__APOLLO_STATE__", "__STATE__",
                              "__APP_STATE__", "__INITIAL_DATA__", "__PRODUCT__", "__DATA__"]
    static let assignmentBytes = ByteSearch.bytes(assignments)
    /// How many JSON values to look at per page, so a huge blob costs bounded time.
    static let maxVisitedValues = 300_000

    static func blobs(in document: HTMLDocument, limits: ExtractionLimits) -> [JSONValue] {
        var blobs: [JSONValue] = []
        for script in document.elements(named: "script") {
            let type = (document.attribute(script, "type") ?? "").lowercased()
            if type.contains("ld+json") { continue }
            let text = document.rawText(of: script)
            guard text.utf8.count <= limits.maxAppStateBytes, !text.isEmpty else { continue }
            if type.contains("json") {
                if let value = try? JSONParser.parse(text, options: .init(lenient: true)) { blobs.append(value) }
                continue
            }
            guard type.isEmpty || type.contains("javascript") else { continue }
            let bytes = Array(text.utf8)
            for (name, nameBytes) in zip(assignments, assignmentBytes) where ByteSearch.contains(bytes, nameBytes) {
                if let json = assignedObject(named: name, in: text),
                   let value = try? JSONParser.parse(json, options: .init(lenient: true)) {
                    blobs.append(value)
                }
            }
        }
        return blobs
    }

    /// The `{...}` literal assigned to `name`, found by matching braces outside strings.
    static func assignedObject(named name: String, in text: String) -> String? {
        guard let nameRange = text.firstRange(of: name) else { return nil }
        let bytes = Array(text.utf8[nameRange.upperBound...])
        guard let open = bytes.prefix(40).firstIndex(of: UInt8(ascii: "{")),
              bytes[..<open].contains(UInt8(ascii: "=")) || bytes[..<open].contains(UInt8(ascii: ":")) else { return nil }
        var depth = 0
        var quote: UInt8?
        var index = open
        while index < bytes.count {
            let byte = bytes[index]
            if let q = quote {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == q { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return String(decoding: bytes[open...index], as: UTF8.self) }
            }
            index += 1
        }
        return nil
    }

    static func candidates(in document: HTMLDocument, titles: [String], limits: ExtractionLimits) -> [ProductCandidate] {
        var found: [ProductCandidate] = []
        var visited = 0
        var stack = blobs(in: document, limits: limits)
        while let value = stack.popLast(), visited < maxVisitedValues {
            visited += 1
            switch value {
            case .array(let items): stack += items
            case .object(let object):
                if let record = AppStateProduct.record(from: object),
                   let name = record.name,
                   (titles.map { MainProductChooser.similarity(name, $0) }.max() ?? 0) >= 0.6 {
                    found.append(ProductCandidate(record: record, order: visited, size: record.filledCount))
                }
                stack += object.entries.map(\.value)
            default: continue
            }
        }
        return found
    }
}
