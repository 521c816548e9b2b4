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

    @Test func conditionAndMarketplaceWordsAreNeverTheModel() throws {
        let titles = [
            "LEGO 10497 Galaxy Explorer NEW SEALED MISB",
            "New Listing LEGO 10497 Galaxy Explorer neu OVP",
            "Neues Angebot Lego 10497 Galaxy Explorer - Sealed",
            "VTG style LEGO 10497 Galaxy Explorer Opens in a new window or tab",
            "Vintage Lego 10497 sealed new",
        ]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.producer == "Lego")
        #expect(found.model.lowercased() == "10497 galaxy explorer")
    }

    @Test func aCategoryWordAloneIsNoModel() {
        let minifigures = ["Lego Minifigur Ritter", "LEGO Minifigur Pirat", "Lego Minifigur Astronaut", "Lego Minifigur Polizist"]
        #expect(TitleConsensus().identify(titles: minifigures)?.model.lowercased() != "minifigur")
        let hoodies = ["Nike Hoodie Black XL", "Nike Hoodie grey size M", "Nike Hoodie navy L", "Nike Hoodie red S"]
        #expect(TitleConsensus().identify(titles: hoodies) == nil)
    }

    @Test func aBrandThatStartsWithAColourKeepsIt() throws {
        let titles = ["Pink Floyd Meddle LP", "PINK FLOYD - Meddle vinyl 1971", "Pink Floyd Meddle CD remaster", "Meddle by Pink Floyd"]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.producer == "Pink Floyd")
        #expect(found.model == "Meddle")
    }

    @Test func sizeColourAndSpecWordsStayOutOfTheModel() throws {
        let titles = ["Apple iPad Air 64GB Space Grau WiFi", "Apple iPad Air 256GB Silber", "Apple iPad Air Wi-Fi Gold 2022",
                      "iPad Air 64GB blue used"]
        let found = try #require(TitleConsensus().identify(titles: titles))
        #expect(found.producer == "Apple")
        #expect(found.model == "iPad Air")
    }

    @Test func japaneseTextWrittenOntoALatinWordIsSplitOff() {
        let words = TitleConsensus.Document(.init("Nintendo Switchドック 新品")).words.map(\.text)
        #expect(words == ["Nintendo", "Switch", "ドック", "新品"])
    }

    @Test func veryLongTitlesAreCut() {
        let long = TitleConsensus.Document(.init(String(repeating: "word ", count: 100_000)))
        #expect(long.words.count == TitleConsensus.maxTitleWords)
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
