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

    /// A brand is a whole brand: "MET-Rx" is neither "MET" nor Meta, and a Quest bar is not a Meta Quest.
    @Test func aHyphenatedBrandIsOneBrandAndAProductLineNeedsItsWholeName() throws {
        let metrx = try #require(TitleConsensus().identify(titles: [
            "MET-Rx Big 100 Meal Replacement Bar Super Cookie Crunch 12 Count",
            "MET-Rx Big 100 Colossal Protein Bar Super Cookie Crunch 12 Bars",
            "MET-Rx Big 100 Bar Super Cookie Crunch 12ct",
            "MET-Rx Big 100 Meal Replacement Bar Super Cookie Crunch, 12 Count Box",
        ]))
        #expect(metrx.producer == "MET-Rx")
        #expect(!metrx.model.lowercased().hasPrefix("rx"), "the brand's second half is not the model: \(metrx.model)")
        let quest = try #require(TitleConsensus().identify(titles: [
            "Quest Protein Bar Cookie Dough 12 Count", "Quest Bar Chocolate Chip Cookie Dough 12ct",
            "Quest Protein Bar Cookie Dough 12 Bars", "Quest Protein Bar Cookie Dough Box of 12",
        ]))
        #expect(quest.producer != "Meta")
        let headset = try #require(TitleConsensus().identify(titles: [
            "Meta Quest 3 128GB VR Headset", "Meta Quest 3 512 GB mixed reality", "Oculus Meta Quest 3 headset used",
        ]))
        #expect(headset.producer == "Meta")
    }

    /// The pack size the titles agree on goes into the identity (a 12-count box is its own product).
    @Test func anAgreedPackSizeIsPartOfTheModel() throws {
        let found = try #require(TitleConsensus().identify(titles: [
            "MET-Rx Big 100 Meal Replacement Bar Super Cookie Crunch 12 Count",
            "MET-Rx Big 100 Colossal Protein Bar Super Cookie Crunch 12 Bars",
            "MET-Rx Big 100 Bar Super Cookie Crunch 12ct",
            "MET-Rx Big 100 Meal Replacement Bar Super Cookie Crunch, 12 Count Box",
        ]))
        #expect(QuantityWords.quantity(in: found.model)?.total == 12, "\(found.model)")
        #expect(!found.model.contains("12 12"))
        let mixed = try #require(TitleConsensus().identify(titles: [
            "Sony WH-1000XM4 headphones", "Sony WH-1000XM4 2 pack", "Sony WH-1000XM4 black", "Sony WH-1000XM4 silver",
        ]))
        #expect(QuantityWords.quantity(in: mixed.model) == nil, "one title's count is not an agreement: \(mixed.model)")
    }
}
