import Extraction

/// What a product page tells people in label/value form (spec tables, definition lists,
/// "Zustand <span>Gut</span>" items) and its meta description: the facts structured data
/// often leaves out (material, specs, a listing's condition).
struct PageFacts {
    /// Label → value in page order; labels without a trailing colon.
    let pairs: [(label: String, value: String)]
    let metaDescription: String?

    init(document: HTMLDocument) {
        var pairs: [(String, String)] = []
        let nodes = document.nodes
        func text(_ index: Int) -> String { document.visibleText(of: index, limit: 400) }
        func elementChildren(_ index: Int) -> [Int] { nodes[index].children.filter { nodes[$0].kind == .element } }
        for index in nodes.indices where nodes[index].kind == .element {
            switch nodes[index].name {
            case "tr":
                let cells = elementChildren(index).filter { nodes[$0].name == "th" || nodes[$0].name == "td" }
                if cells.count == 2 { pairs.append((text(cells[0]), text(cells[1]))) }
            case "dl":
                var label: String?
                for child in elementChildren(index) {
                    if nodes[child].name == "dt" { label = text(child) }
                    if nodes[child].name == "dd", let name = label { pairs.append((name, text(child))); label = nil }
                }
            case "li", "div", "p":
                // "Zustand<span>Gut</span>" or "Condition: <span>Pre-owned</span>": the item's own
                // text is the label, its one inline child the value.
                let children = elementChildren(index)
                guard children.count >= 1, children.count <= 2, children.allSatisfy({ nodes[$0].name == "span" }) else { continue }
                let own = nodes[index].children.filter { nodes[$0].kind == .text }.map { nodes[$0].text }.joined()
                    .strippedOfSpaces
                if !own.isEmpty, children.count == 1 {
                    pairs.append((own, text(children[0])))
                } else if own.isEmpty, children.count == 2, text(children[0]).hasSuffix(":") {
                    pairs.append((text(children[0]), text(children[1])))
                }
            default:
                continue
            }
        }
        self.pairs = pairs.compactMap { label, value in
            var name = label.strippedOfSpaces
            if name.hasSuffix(":") { name = String(name.dropLast()).strippedOfSpaces }
            guard !name.isEmpty, !value.isEmpty, name.count <= 60, value.count <= 300 else { return nil }
            return (name, value)
        }
        var meta: String?
        for index in document.elements(named: "meta") {
            let key = (document.attribute(index, "name") ?? document.attribute(index, "property") ?? "").lowercased()
            if key == "description" || (key == "og:description" && meta == nil),
               let content = document.attribute(index, "content"), !content.isEmpty
            {
                meta = content
            }
        }
        metaDescription = meta
    }

    /// The value printed after one of `labels` (case-insensitive).
    func value(for labels: [String]) -> String? {
        let wanted = Set(labels.map { $0.lowercased() })
        return pairs.first { wanted.contains($0.label.lowercased()) }?.value
    }

    static let materialLabels = ["material", "materials", "material composition", "composition", "fabric", "materiał",
                                 "materiale", "matériau", "matière", "material:", "werkstoff"]

    /// Spec rows other than the material (which has its own field) and shop boilerplate.
    var specs: [(name: String, value: String)] {
        let skip = Set(PageFacts.materialLabels + ["price", "preis", "prix", "sku", "condition", "zustand"])
        return pairs.filter { !skip.contains($0.label.lowercased()) }.map { (name: $0.label, value: $0.value) }
    }
}

extension String {
    /// Without leading and trailing whitespace.
    var strippedOfSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
