import DemoWorld
import PhotoReading
import Synchronization
import Testing
@testable import Producers

/// `PhotoEvidence` against the demo world's pages: a GTIN searched as such and confirmed by a
/// page's structured data names the product; text corroborates or names it alone.
@Suite struct PhotoEvidenceTests {
    /// A search that records its queries and answers with fixed hits.
    final class RecordingSearch: SearchService {
        let name = "recording"
        let hits: [SearchHit]
        let queries = Mutex<[String]>([])
        init(_ hits: [SearchHit]) { self.hits = hits }
        func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
            queries.withLock { $0.append(query) }
            return hits
        }
    }

    static let flaskGTIN = Barcode(symbology: .ean13, value: ShopCatalog.barcodeSampleGTIN)

    func entry() throws -> ShopEntry { try #require(ShopCatalog.entry("vacuum-flask")) }

    @Test func gtinSearchedAsSuchAndConfirmedByThePage() throws {
        let entry = try entry()
        let barcode = try #require(PhotoEvidenceTests.flaskGTIN)
        // A reseller page that does not exist in the demo web comes first; the maker page states the GTIN.
        let web = RecordingSearch([SearchHit(title: "Flask – Nordic Living", link: "http://www.nordicliving.example/products/x"),
                                   SearchHit(title: entry.maker.title, link: entry.maker.url)])
        let market = RecordingSearch([])
        let evidence = PhotoEvidence(webSearch: web, marketplaceSearches: [market], pages: try ShopWorld.pages())
        let decision = evidence.decide(current: nil, evidence: [], reading: .init(barcodes: [barcode]), timeoutMillis: 20_000)
        #expect(decision.identity?.producer == entry.brand)
        #expect(decision.identity?.model == entry.name)
        #expect(decision.evidence == ["barcode"])
        #expect(decision.gtin == "0" + ShopCatalog.barcodeSampleGTIN)
        #expect(web.queries.withLock { $0 } == [ShopCatalog.barcodeSampleGTIN])
        #expect(market.queries.withLock { $0 } == [ShopCatalog.barcodeSampleGTIN])
    }

    @Test func agreeingVisualMatchesStayInTheEvidence() throws {
        let entry = try entry()
        let barcode = try #require(PhotoEvidenceTests.flaskGTIN)
        let web = RecordingSearch([SearchHit(title: entry.maker.title, link: entry.maker.url)])
        let evidence = PhotoEvidence(webSearch: web, marketplaceSearches: [], pages: try ShopWorld.pages())
        let current = ProductIdentity(producer: entry.brand, model: "Summit Flask", confidence: 0.7, method: "heuristic")
        let decision = evidence.decide(current: current, evidence: ["visual-matches"], reading: .init(barcodes: [barcode]),
                                       timeoutMillis: 20_000)
        #expect(decision.evidence == ["barcode", "visual-matches"])
        #expect(decision.identity?.model == entry.name)
    }

    @Test func aGTINNothingNamesIsReportedWithoutAnIdentity() throws {
        let barcode = try #require(Barcode(symbology: .ean13, value: "5901234123457"))
        // A page without that GTIN, and titles that agree on nothing.
        let other = try #require(ShopCatalog.entry("desk-lamp"))
        let web = RecordingSearch([SearchHit(title: "Page one", link: other.maker.url), SearchHit(title: "Another thing", link: "http://x.example/")])
        let evidence = PhotoEvidence(webSearch: web, marketplaceSearches: [], pages: try ShopWorld.pages())
        let decision = evidence.decide(current: nil, evidence: [], reading: .init(barcodes: [barcode]), timeoutMillis: 20_000)
        #expect(decision.identity == nil)
        #expect(decision.gtin == "05901234123457")
        #expect(decision.evidence.isEmpty)
    }

    @Test func textNamesAProductWhenNothingElseDoes() {
        let evidence = PhotoEvidence(webSearch: nil, marketplaceSearches: [], pages: nil)
        let text = PhotoText(lines: ["SONY", "WH-1000XM4 Wireless Noise Cancelling", "30h 2024"], words: [
            .init(text: "SONY", confidence: 91, line: 0),
        ], language: "eng")
        let decision = evidence.decide(current: nil, evidence: [], reading: .init(text: text), timeoutMillis: 1_000)
        #expect(decision.identity?.producer == "Sony")
        #expect(decision.identity?.model == "WH-1000XM4")
        #expect(decision.evidence == ["text"])

        let current = ProductIdentity(producer: "Sony", model: "WH-1000XM4", confidence: 0.8, method: "llm")
        let corroborated = evidence.decide(current: current, evidence: ["llm"], reading: .init(text: text), timeoutMillis: 1_000)
        #expect(corroborated.evidence == ["llm", "text"])
        #expect(corroborated.identity == current)
    }

    @Test func modelNumbersAreNotQuantitiesOrBareNumbers() {
        #expect(PhotoEvidence.modelNumbers(in: "Mug 350ml 40mm 2024 KX-T7730 A1234 x2 500g") == ["KX-T7730", "A1234"])
        #expect(PhotoEvidence.brands(in: "made by DYSON for HAY on sale") == ["Dyson"])
    }
}
