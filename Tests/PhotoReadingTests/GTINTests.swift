@testable import PhotoReading
import Testing

@Suite("GTIN check digits and forms")
struct GTINTests {
    @Test func checkDigits() {
        #expect(GTIN.checkDigitIsValid("4006381333931"))
        #expect(!GTIN.checkDigitIsValid("4006381333932"))
        #expect(GTIN.checkDigitIsValid("48512343"))  // EAN-8
        #expect(GTIN.checkDigitIsValid("036000291452"))  // UPC-A
        #expect(!GTIN.checkDigitIsValid("03600029145"))
        #expect(!GTIN.checkDigitIsValid("40063813339x1"))
    }

    @Test func upcEExpandsToItsUPCA() {
        // The classic examples of each UPC-E compression rule.
        #expect(GTIN.expandUPCE("01234565") == "012345000065")
        #expect(GTIN.expandUPCE("04252614") == "042100005264")
        #expect(GTIN.expandUPCE("01234565".replacingLastDigit(with: "6")) == nil)
        #expect(GTIN.expandUPCE("21234565") == nil)
    }

    @Test func barcodesCarryTheFourteenDigitGTIN() throws {
        let upcE = try #require(Barcode(symbology: .upcE, value: "01234565"))
        #expect(upcE.gtin == "00012345000065")
        #expect(upcE.searchText == "012345000065")
        let upcA = try #require(Barcode(symbology: .upcA, value: "036000291452"))
        #expect(upcA.gtin == "00036000291452")
        let ean8 = try #require(Barcode(symbology: .ean8, value: "48512343"))
        #expect(ean8.gtin == "00000048512343")
        let isbn = try #require(Barcode(symbology: .ean13, value: "9780764544200"))
        #expect(isbn.isISBN && isbn.gtin == "09780764544200")
        #expect(Barcode(symbology: .ean13, value: "9780764544201") == nil)
        #expect(Barcode(symbology: .ean8, value: "4006381333931") == nil)
    }
}

extension String {
    func replacingLastDigit(with digit: Character) -> String { String(dropLast()) + String(digit) }
}

@Suite("Reads of one symbol")
struct SameSymbolTests {
    @Test func sharedHalvesMeanOneSymbolReadTwice() throws {
        let right = try #require(Barcode(symbology: .ean13, value: "5000213002834"))
        let misread = try #require(Barcode(symbology: .ean13, value: "1040183002834"))
        let other = try #require(Barcode(symbology: .ean13, value: "4006381333931"))
        #expect(BarcodeReader.sameSymbol(right, misread))
        #expect(!BarcodeReader.sameSymbol(right, other))
        let ean8 = try #require(Barcode(symbology: .ean8, value: "48512343"))
        #expect(!BarcodeReader.sameSymbol(ean8, right))
    }
}
