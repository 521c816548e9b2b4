import Testing
@testable import Producers

@Suite struct TitleConsensusTests {
    @Test func findsBrandAndModelAcrossNoisyTitles() throws {
        let titles = [
            "Sony WH-1000XM4 Wireless Noise Cancelling Headphones - Black | eBay",
            "Sony WH-1000XM4 Over-Ear Bluetooth Headphones, Silver",
            "WH-1000XM4 by Sony - used, excellent condition",
            "Sony WH1000XM4/B headphones black",
            "Bose QuietComfort 45 headphones",
            "sony wh-1000xm4 kopfhörer gebraucht",
        ]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.producer == "Sony")
        #expect(found.model.lowercased().hasPrefix("wh-1000xm4"))
        #expect(found.confidence > 0.5 && found.confidence <= 0.95)
    }

    @Test func multiWordBrandsAndModels() throws {
        let titles = [
            "Herman Miller Aeron Chair Size B Graphite",
            "Aeron Chair by Herman Miller, remastered",
            "Herman Miller Aeron Office Chair - Size B",
            "Steelcase Leap V2",
        ]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.producer == "Herman Miller")
        #expect(found.model.lowercased().contains("aeron"))
    }

    @Test func aBrandTheCatalogDoesNotKnowIsTheSharedLeadingWord() throws {
        let titles = [
            "Nordlys Arc Desk Lamp - Nordic Living",
            "Nordlys Arc LED desk lamp, brass",
            "Arc desk lamp by Nordlys",
            "Nordlys Arc Desk Lamp | eBay",
        ]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.producer == "Nordlys")
        #expect(found.model.lowercased().hasPrefix("arc"))
    }

    @Test func unitsAfterNumbersStayInTheModel() throws {
        let titles = ["Tidewater Canvas Backpack 22 L - Size L", "Tidewater Canvas Backpack 22 L", "Canvas Backpack 22 L by Tidewater"]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.model == "Canvas Backpack 22 L")
    }

    @Test func nothingRecognisableGivesNil() {
        #expect(TitleConsensus().identify(titles: []) == nil)
        #expect(TitleConsensus().identify(titles: ["a wooden thing", "some object"]) == nil)
    }

    @Test func wordsDropSiteSuffixesAndPunctuation() {
        let document = TitleConsensus.Document(.init("Nike Air Max 90 (White) | Vinted"))
        #expect(document.words.map(\.text) == ["Nike", "Air", "Max", "90", "White"])
        let site = TitleConsensus.Document(.init("Orbit Wireless Headphones – Sonique | Maison Boutique", site: "maison-boutique.example"))
        #expect(site.words.map(\.text) == ["Orbit", "Wireless", "Headphones", "Sonique"])
    }
}
