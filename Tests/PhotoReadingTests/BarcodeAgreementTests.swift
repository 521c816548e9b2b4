@testable import PhotoReading
import Testing

/// How ZBar's and ZXing's reads of one image are weighed against each other.
@Suite struct BarcodeAgreementTests {
    typealias Box = BarcodeAgreement.Box

    static func sighting(_ symbology: Barcode.Symbology, _ value: String, _ decoder: Barcode.Decoder, _ box: Box) throws
        -> BarcodeAgreement.Sighting
    {
        BarcodeAgreement.Sighting(barcode: try #require(Barcode(symbology: symbology, value: value, decoders: [decoder])), box: box)
    }

    /// Where one UPC-A is printed, and a scan line across its middle part.
    let upcA = Box(left: 100, top: 200, right: 400, bottom: 260)
    let middle = Box(left: 180, top: 230, right: 330, bottom: 230)
    let elsewhere = Box(left: 900, top: 700, right: 1_100, bottom: 760)

    @Test func bothReadingAlikeIsKeptAsReadByBoth() throws {
        let kept = BarcodeAgreement.combine(zbar: [try Self.sighting(.upcA, "036000291452", .zbar, upcA)],
                                            zxing: [try Self.sighting(.upcA, "036000291452", .zxing, middle)])
        #expect(kept.map(\.value) == ["036000291452"])
        #expect(kept.first?.decoders == [.zbar, .zxing])
    }

    /// ZBar's UPC-E inside the UPC-A ZXing reads: the shorter symbology is the misread.
    @Test func zbarUPCEWhereZXingReadsUPCAIsDropped() throws {
        let kept = BarcodeAgreement.combine(zbar: [try Self.sighting(.upcE, "01234565", .zbar, middle)],
                                            zxing: [try Self.sighting(.upcA, "036000291452", .zxing, upcA)])
        #expect(kept.map(\.value) == ["036000291452"])
        #expect(kept.first?.decoders == [.zxing])
    }

    @Test func readsInDifferentPlacesAreBothKept() throws {
        let kept = BarcodeAgreement.combine(zbar: [try Self.sighting(.upcE, "01234565", .zbar, elsewhere)],
                                            zxing: [try Self.sighting(.upcA, "036000291452", .zxing, upcA)])
        #expect(Set(kept.map(\.value)) == ["01234565", "036000291452"])
    }

    /// One decoder alone, the other seeing nothing: kept (its check digit was verified).
    @Test func aReadTheOtherDoesNotContradictIsKept() throws {
        let onlyZXing = BarcodeAgreement.combine(zbar: [], zxing: [try Self.sighting(.ean13, "4006381333931", .zxing, upcA)])
        #expect(onlyZXing.map(\.value) == ["4006381333931"])
        #expect(onlyZXing.first?.decoders == [.zxing])
        let onlyZBar = BarcodeAgreement.combine(zbar: [try Self.sighting(.ean8, "96385074", .zbar, upcA)], zxing: [])
        #expect(onlyZBar.first?.decoders == [.zbar])
    }

    /// Two numbers of the same length in one place: neither outweighs the other, both go.
    @Test func equalContradictionDropsBoth() throws {
        let kept = BarcodeAgreement.combine(zbar: [try Self.sighting(.ean13, "4006381333931", .zbar, upcA)],
                                            zxing: [try Self.sighting(.ean13, "5901234123457", .zxing, middle)])
        #expect(kept.isEmpty)
    }

    /// A UPC-A ZBar reports as UPC-A and ZXing as the same GTIN: one barcode, read by both.
    @Test func sameGTINIsOneBarcode() throws {
        let kept = BarcodeAgreement.combine(zbar: [try Self.sighting(.upcA, "036000291452", .zbar, upcA)],
                                            zxing: [try Self.sighting(.ean13, "0036000291452", .zxing, upcA)])
        #expect(kept.count == 1)
        #expect(kept.first?.gtin == "00036000291452")
        #expect(kept.first?.decoders == [.zbar, .zxing])
    }
}
