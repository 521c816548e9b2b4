/// One node of a parsed page. Nodes live in `HTMLDocument.nodes` in document order, so a
/// node's descendants are exactly the indices `index + 1 ..< end`, and "nearer in the page"
/// is "closer index".
public struct HTMLNode: Sendable {
    public enum Kind: Sendable { case element, text }

    public let kind: Kind
    /// Lower-case tag name for elements, empty for text.
    public let name: String
    public let attributes: [Attribute]
    /// The text of a text node (script and style bodies included), empty for elements.
    public let text: String
    public let parent: Int?
    public internal(set) var children: [Int] = []
    /// One past the last descendant.
    public internal(set) var end: Int = 0

    public struct Attribute: Sendable {
        public let name: String
        public let value: String
    }

    public func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.name == name })?.value
    }
}
