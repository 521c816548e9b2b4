/// Lookups the readers share.
extension HTMLDocument {
    public func elements(named name: String) -> [Int] {
        nodes.indices.filter { nodes[$0].kind == .element && nodes[$0].name == name }
    }

    public func attribute(_ node: Int, _ name: String) -> String? {
        nodes[node].attribute(name)
    }

    /// Raw text inside an element (for script bodies: the JSON as written).
    public func rawText(of node: Int) -> String {
        var text = ""
        for index in (node + 1)..<nodes[node].end where nodes[index].kind == .text { text += nodes[index].text }
        return text
    }

    /// Text a reader would see: script, style and template bodies left out, whitespace collapsed.
    public func visibleText(of node: Int, limit: Int = .max) -> String {
        visibleText(of: node, limit: limit, skipping: HTMLDocument.invisible)
    }

    /// Visible text leaving out the subtrees of elements named in `skipping`.
    func visibleText(of node: Int, limit: Int, skipping: Set<String>) -> String {
        var out = ""
        var length = 0  // UTF-8 bytes so far: counting characters each turn would be quadratic
        var index = node + 1
        let end = nodes[node].end
        while index < end, length < limit {
            let current = nodes[index]
            if current.kind == .element, skipping.contains(current.name) {
                index = current.end
                continue
            }
            if current.kind == .text {
                out += current.text
                out += " "
                length += current.text.utf8.count + 1
            }
            index += 1
        }
        return out.collapsingWhitespace()
    }

    static let invisible: Set<String> = ["script", "style", "template", "noscript", "svg", "head"]

    /// True when the node sits inside an element with one of the given names.
    public func hasAncestor(_ node: Int, named names: Set<String>) -> Bool {
        var current = nodes[node].parent
        while let index = current {
            if names.contains(nodes[index].name) { return true }
            current = nodes[index].parent
        }
        return false
    }

    /// The page title, canonical URL and first heading, used to pick the main product.
    public var title: String? {
        elements(named: "title").first.map { visibleText(of: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var canonicalURL: String? {
        for index in elements(named: "link") {
            let rel = (attribute(index, "rel") ?? "").lowercased()
            if rel.split(separator: " ").contains("canonical"), let href = attribute(index, "href") { return href }
        }
        return nil
    }
}

extension String {
    /// Runs of whitespace become one space; ends trimmed.
    func collapsingWhitespace() -> String {
        var out = ""
        var pendingSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value == 0x200B {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.unicodeScalars.append(" "); pendingSpace = false }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
