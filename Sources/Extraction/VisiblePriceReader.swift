/// Placeholder until the visible-page fallback lands.
enum VisiblePriceReader {
    static func price(in document: HTMLDocument, name: String?) -> ParsedPrice? { nil }
    static func availability(in document: HTMLDocument) -> String? { nil }
}
