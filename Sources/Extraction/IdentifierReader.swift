import JSON

/// Finds the product's SKU where the markup gives none: a labelled identifier on the page
/// ("SKU: 12345", "ASIN B07FW264WL", "Art.-Nr. 4711", "Item number: 3024..."), else the
/// identifier the page URL carries (/dp/ASIN, /itm/123, ?sku=, a trailing number in the slug).
enum IdentifierReader {
    /// Labels shops put before their own identifier, in `Resources/identifier-labels.json` (model
    /// and part numbers are MPNs, not SKUs); tried in the file's order.
    static let labels: [String] = ((try? JSONParser.parse(PackageResources.identifier_labels_json))?["labels"]?.arrayValue ?? [])
        .compactMap(\.stringValue)

    static func sku(in document: HTMLDocument, landmarks: PageLandmarks) -> String? {
        let nodes = document.nodes
        for index in nodes.indices where nodes[index].kind == .text {
            let raw = nodes[index].text
            guard raw.utf8.count <= 120, !document.hasAncestor(index, named: ["script", "style", "option"]) else { continue }
            if let distance = landmarks.distance(to: index), distance > 6_000 { continue }
            let text = raw.collapsingWhitespace()
            let lower = text.lowercased()
            for label in labels where lower.hasPrefix(label) {
                var rest = String(text.dropFirst(label.count))
                guard rest.isEmpty || !(rest.first?.isLetter ?? false) else { continue }
                rest = rest.trimmingCharacters(in: " :#.-–\u{200E}\u{200F}")
                if rest.isEmpty, let next = nextText(after: index, in: document) {
                    rest = next.trimmingCharacters(in: " :#\u{200E}\u{200F}")
                }
                if let value = identifier(rest) { return value }
            }
        }
        return nil
    }

    /// The next non-empty text within a few nodes ("<th>ASIN</th><td>B07FW264WL</td>").
    static func nextText(after index: Int, in document: HTMLDocument) -> String? {
        var cursor = index + 1
        while cursor < min(document.nodes.count, index + 8) {
            let node = document.nodes[cursor]
            if node.kind == .text {
                let text = node.text.collapsingWhitespace()
                if !text.isEmpty && text != ":" { return text }
            }
            cursor += 1
        }
        return nil
    }

    /// An identifier: one token, 3 to 40 characters, with a digit (or an ASIN-like code).
    static func identifier(_ text: String) -> String? {
        let token = text.split(separator: " ").first.map(String.init) ?? ""
        guard token.count >= 3, token.count <= 40, text.split(separator: " ").count <= 2 else { return nil }
        guard token.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }),
              token.contains(where: \.isNumber), token.first.map({ $0.isLetter || $0.isNumber }) == true
        else { return nil }
        return token
    }

    /// Path segments that name the item outright ("/dp/ASIN", "/itm/123").
    static let strongPathMarkers: Set<String> = ["dp", "itm", "deal", "gp"]
    static let pathMarkers: Set<String> = ["dp", "itm", "item", "product", "products", "prod", "deal", "pd", "gp"]
    static let queryKeys: Set<String> = ["sku", "pid", "productid", "product_id", "itemid", "item_id", "childsku",
                                        "articleid", "variant", "products_id"]

    static func sku(fromURL url: String, strongOnly: Bool) -> String? {
        var text = Substring(url)
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        let parts = text.split(separator: "?", maxSplits: 1)
        if parts.count == 2 {
            for pair in parts[1].split(whereSeparator: { $0 == "&" || $0 == "#" }) {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if !strongOnly, kv.count == 2, queryKeys.contains(kv[0].lowercased()), let value = identifier(String(kv[1])) {
                    return value
                }
            }
        }
        let segments = (parts.first ?? "").split(separator: "#").first?.split(separator: "/").dropFirst().map(String.init) ?? []
        let markers = strongOnly ? strongPathMarkers : pathMarkers
        for (offset, segment) in segments.enumerated() where markers.contains(segment.lowercased()) {
            if offset + 1 < segments.count, let value = urlIdentifier(segments[offset + 1]) { return value }
        }
        guard !strongOnly, var last = segments.last else { return nil }
        for ext in [".html", ".htm", ".php", ".aspx"] where last.lowercased().hasSuffix(ext) {
            last = String(last.dropLast(ext.count))
        }
        // A long number closing the slug: "...-1589482272", "..._36029524", "p4781720".
        let tail = last.split(whereSeparator: { $0 == "-" || $0 == "_" }).last.map(String.init) ?? last
        var digits = tail
        if digits.first == "p" || digits.first == "P" { digits.removeFirst() }
        if digits.count >= 5, digits.allSatisfy(\.isNumber) { return digits }
        // A whole last segment that is a code: "/M67296549.htm".
        return segments.count > 1 && !last.contains("-") ? urlIdentifier(last) : nil
    }

    /// A whole URL segment that is an identifier: "B07FW264WL", "302474151804", "144432".
    static func urlIdentifier(_ segment: String) -> String? {
        let token = segment.split(separator: "_").first.map(String.init) ?? segment
        guard token.count >= 5, token.count <= 20, token.allSatisfy({ $0.isLetter || $0.isNumber }),
              token.contains(where: \.isNumber) else { return nil }
        let upper = token.uppercased() == token
        return upper || token.allSatisfy(\.isNumber) ? token : nil
    }
}
