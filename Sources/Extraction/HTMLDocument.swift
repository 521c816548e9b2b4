import CLibXML2

/// A page parsed by libxml2's HTML parser (which copes with tag soup) and copied into plain
/// Swift values, so the libxml2 tree is freed before this initialiser returns and nothing
/// here needs to be `@unchecked Sendable`.
///
/// Parsing is bounded: no network access (HTML_PARSE_NONET), no DTD loading, libxml2's
/// default depth and text-size limits stay on (no HTML_PARSE_HUGE), and the HTML parser only
/// expands the fixed set of HTML character entities, never entities a page declares.
public struct HTMLDocument: Sendable {
    public private(set) var nodes: [HTMLNode] = []

    private static let libxml2Ready: Void = { xmlInitParser() }()

    public init(html: [UInt8]) throws {
        _ = Self.libxml2Ready
        guard !html.isEmpty else { return }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
        let encoding = Self.encoding(of: html)
        let document: htmlDocPtr? = html.withUnsafeBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                htmlReadMemory(pointer, Int32(buffer.count), nil, encoding, options)
            }
        }
        guard let document else { throw ExtractionError(.unparsableHTML, "libxml2 could not parse the page") }
        defer { xmlFreeDoc(document) }
        copy(from: xmlDocGetRootElement(document))
    }

    /// UTF-8 when the bytes are valid UTF-8 (pages are often re-saved as UTF-8 while still
    /// declaring a legacy charset); otherwise the declared charset, otherwise Windows-1252,
    /// which is what browsers assume for undeclared 8-bit pages.
    static func encoding(of html: [UInt8]) -> String {
        if String(validating: html, as: UTF8.self) != nil { return "UTF-8" }
        let head = html.prefix(16 * 1024).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let marker = Array("charset=".utf8)
        guard let start = head.firstRange(of: marker)?.upperBound else { return "windows-1252" }
        var name = ""
        for byte in head[start...].drop(while: { $0 == 0x22 || $0 == 0x27 || $0 == 0x20 }) {
            guard byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
                || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) else { break }
            name.unicodeScalars.append(Unicode.Scalar(byte))
        }
        if name.isEmpty || name == "utf-8" || name == "utf8" { return "windows-1252" }
        return name == "iso-8859-1" || name == "latin1" || name == "us-ascii" ? "windows-1252" : name
    }

    /// Copies the libxml2 tree in document order without recursion (deep tag soup cannot
    /// exhaust the stack).
    private mutating func copy(from root: xmlNodePtr?) {
        var stack: [(node: xmlNodePtr, parent: Int?)] = []
        var sibling = root
        var roots: [xmlNodePtr] = []
        while let node = sibling { roots.append(node); sibling = node.pointee.next }
        stack = roots.reversed().map { ($0, nil) }
        var open: [Int] = []  // elements whose subtree is still being copied
        while let (node, parent) = stack.popLast() {
            while let last = open.last, last != parent { nodes[last].end = nodes.count; open.removeLast() }
            let index = nodes.count
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                nodes.append(HTMLNode(kind: .element, name: Self.string(node.pointee.name).lowercased(),
                                      attributes: Self.attributes(of: node), text: "", parent: parent))
                open.append(index)
                var children: [xmlNodePtr] = []
                var child = node.pointee.children
                while let c = child { children.append(c); child = c.pointee.next }
                stack.append(contentsOf: children.reversed().map { ($0, index) })
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                nodes.append(HTMLNode(kind: .text, name: "", attributes: [], text: Self.string(node.pointee.content),
                                      parent: parent))
                nodes[index].end = index + 1
            default:
                continue
            }
            if let parent { nodes[parent].children.append(index) }
        }
        for last in open { nodes[last].end = nodes.count }
    }

    private static func attributes(of node: xmlNodePtr) -> [HTMLNode.Attribute] {
        var result: [HTMLNode.Attribute] = []
        var attribute = node.pointee.properties
        while let a = attribute {
            var value = ""
            var child = a.pointee.children
            while let c = child { value += string(c.pointee.content); child = c.pointee.next }
            result.append(HTMLNode.Attribute(name: string(a.pointee.name).lowercased(), value: value))
            attribute = a.pointee.next
        }
        return result
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    private static func string(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String {
        string(UnsafePointer(pointer))
    }
}
