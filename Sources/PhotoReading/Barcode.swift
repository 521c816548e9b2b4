/// One retail barcode read from a photo.
public struct Barcode: Sendable, Equatable, Hashable {
    public enum Symbology: String, Sendable, CaseIterable {
        case ean13 = "EAN-13", ean8 = "EAN-8", upcA = "UPC-A", upcE = "UPC-E"
    }

    /// The two independent decoders that read photos (see `BarcodeAgreement`).
    public enum Decoder: String, Sendable, CaseIterable, Comparable {
        case zbar, zxing

        public static func < (a: Decoder, b: Decoder) -> Bool { a.rawValue < b.rawValue }
    }

    public let symbology: Symbology
    /// The digits as printed under the bars (UPC-E: its 8 digits).
    public let value: String
    /// The 14-digit GTIN (zero-padded; UPC-E expanded): the same number whichever symbology
    /// printed it, as shops' structured data compares.
    public let gtin: String
    /// Which decoders read it (sorted, each once); empty for a barcode not read from a photo.
    public private(set) var decoders: [Decoder]

    /// nil when the digits do not fit the symbology or the check digit is wrong.
    public init?(symbology: Symbology, value: String, decoders: [Decoder] = []) {
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
        self.decoders = Array(Set(decoders)).sorted()
    }

    /// The same barcode, said to be read by `decoders`.
    func read(by decoders: [Decoder]) -> Barcode {
        var copy = self
        copy.decoders = Array(Set(decoders)).sorted()
        return copy
    }

    /// What to type into a shop's or a search engine's box: the number as shops print it
    /// (a UPC-E as its 12-digit UPC-A).
    public var searchText: String {
        symbology == .upcE ? String(gtin.dropFirst(2)) : value
    }

    /// A book (an EAN-13 with a Bookland prefix).
    public var isISBN: Bool { symbology == .ean13 && GTIN.isISBN(value) }
}
