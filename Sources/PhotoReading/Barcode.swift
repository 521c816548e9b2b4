/// One retail barcode read from a photo.
public struct Barcode: Sendable, Equatable, Hashable {
    public enum Symbology: String, Sendable, CaseIterable {
        case ean13 = "EAN-13", ean8 = "EAN-8", upcA = "UPC-A", upcE = "UPC-E"
    }

    public let symbology: Symbology
    /// The digits as printed under the bars (UPC-E: its 8 digits).
    public let value: String
    /// The 14-digit GTIN (zero-padded; UPC-E expanded): the same number whichever symbology
    /// printed it, as shops' structured data compares.
    public let gtin: String

    /// nil when the digits do not fit the symbology or the check digit is wrong.
    public init?(symbology: Symbology, value: String) {
        guard value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber) else { return nil }
        let full: String?
        switch symbology {
        case .ean13: full = value.count == 13 ? value : nil
        case .ean8: full = value.count == 8 ? value : nil
        case .upcA: full = value.count == 12 ? value : nil
        case .upcE: full = GTIN.expandUPCE(value)
        }
        guard let full, let gtin = GTIN.normalized(full) else { return nil }
        self.symbology = symbology
        self.value = value
        self.gtin = gtin
    }

    /// What to type into a shop's or a search engine's box: the number as shops print it
    /// (a UPC-E as its 12-digit UPC-A).
    public var searchText: String {
        symbology == .upcE ? String(gtin.dropFirst(2)) : value
    }

    /// A book (an EAN-13 with a Bookland prefix).
    public var isISBN: Bool { symbology == .ean13 && GTIN.isISBN(value) }
}
