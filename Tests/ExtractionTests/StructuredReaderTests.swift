@testable import Extraction
import TestSupport
import JSON
import Testing

struct StructuredReaderTests {
    func extract(_ fixture: String, url: String? = nil) throws -> ProductRecord {
        try Extractor.extract(html: try PeerData.fixture(fixture), url: url)
    }

    @Test func jsonLDGraphWithReferencesAndLenientSyntax() throws {
        let record = try extract("jsonld-graph.html")
        #expect(record.name == "Trail Runner 3 & Gaiter")  // the listed "Gaiter Set XL" is not the page's product
        #expect(record.brand == "Peakline")                 // via {"@id": "#brand"}
        #expect(record.sku == "TR3-42")
        #expect(record.gtin == "4006381333931")
        #expect(record.mpn == "PL-TR3")
        #expect(record.material == "Recycled mesh")
        #expect(record.description == "Light trail shoe. Second line.")  // raw newline inside the string
        #expect(record.image == "https://shop.example/img/tr3.jpg")
        #expect(record.specs == [.init(name: "Drop", value: "6 mm"), .init(name: "color", value: "Moss")])
        // The cheaper offer is out of stock, so the in-stock one sets the price.
        #expect(record.price == "129.95")
        #expect(record.currency == "EUR")
        #expect(record.availability == "InStock")
        #expect(record.condition == .used)
        #expect(record.method == .jsonLD)
    }

    @Test func jsonLDBlocksSkipPlaceholdersAndBrokenJSON() throws {
        let document = try HTMLDocument(html: try PeerData.fixture("jsonld-graph.html"))
        #expect(JSONLDReader.blocks(in: document).count == 2)
        var tight = ExtractionLimits()
        tight.maxJSONLDBytes = 100
        #expect(JSONLDReader.blocks(in: document, limits: tight).isEmpty)
    }

    @Test(arguments: [
        "<![CDATA[ {\"a\": 1} ]]>", "<!-- {\"a\": 1} -->", "<!-- a note --> {\"a\": 1}", "//<![CDATA[\n{\"a\": 1}\n//]]>",
        "{\"a\": 1,}", "{'a': 1}",
    ])
    func jsonLDWrappers(_ text: String) {
        #expect(JSONLDReader.parse(text) == ["a": 1])
    }

    @Test func productGroupVariantFollowsTheURL() throws {
        let small = try extract("jsonld-productgroup.html", url: "https://wool.example/hoodie?variant=MH-S")
        #expect(small.sku == "MH-S")
        #expect(small.price == "89.00")
        #expect(small.availability == "OutOfStock")
        #expect(small.brand == "Woolly")              // from the group
        #expect(small.description == "Warm hoodie")
        let any = try extract("jsonld-productgroup.html")
        #expect(any.sku == "MH-M")                     // no URL: the first variant in stock
        #expect(any.currency == "GBP")
    }

    @Test func aggregateOfferTakesTheLowPrice() throws {
        let record = try extract("jsonld-aggregate.html")
        #expect(record.price == "1299.00")
        #expect(record.brand == "Fotox")
        #expect(record.condition == .veryGood)
        #expect(record.availability == nil)
    }

    @Test func microdataWithItemrefAndNestedItems() throws {
        let record = try extract("microdata.html")
        #expect(record.name == "Desk Lamp Aurora")
        #expect(record.brand == "Lumo")
        #expect(record.price == "49.90")              // the content attribute, not the formatted text
        #expect(record.currency == "EUR")
        #expect(record.availability == "InStock")
        #expect(record.sku == "AUR-01")               // via itemref
        #expect(record.mpn == "LM-AUR")
        #expect(record.condition == .new)
        #expect(record.method == .microdata)
        let document = try HTMLDocument(html: try PeerData.fixture("microdata.html"))
        let items = MicrodataReader.items(in: document)
        // The spare bulb has no itemprop, so it is an item of its own, not a property.
        #expect(items.count == 2)
        #expect(items.first?.value["image"] == "/img/aurora.jpg")
        #expect(items.last?.value["name"] == "Spare bulb")
    }

    @Test func openGraphProductTags() throws {
        let record = try extract("opengraph.html")
        #expect(record.name == "Vintage Leather Jacket")
        #expect(record.price == "120.00")
        #expect(record.currency == "EUR")
        #expect(record.availability == "OutOfStock")
        #expect(record.condition == .veryGood)
        #expect(record.brand == "Schott")
        #expect(record.sku == "J-777")
        #expect(record.method == .openGraph)
    }

    @Test func appStateWhenThereIsNoMarkup() throws {
        let record = try extract("app-state.html")
        #expect(record.name == "Robot Vacuum S6")    // not the menu's "accessories" entry
        #expect(record.price == "499.0")
        #expect(record.currency == "EUR")
        #expect(record.sku == "RV-S6")
        #expect(record.brand == "Cleanbot")
        #expect(record.availability == "InStock")
        #expect(record.method == .appState)
    }

    @Test func assignedObjectSkipsBracesInStrings() {
        let script = #"window.__STATE__ = {"a": "}{", "b": {"c": 'x}'}}; more()"#
        #expect(AppStateReader.assignedObject(named: "__STATE__", in: script) == #"{"a": "}{", "b": {"c": 'x}'}}"#)
        #expect(AppStateReader.assignedObject(named: "__NONE__", in: script) == nil)
    }

    @Test func mainProductPrefersURLThenTitle() {
        func candidate(_ name: String, url: String?, size: Int) -> ProductCandidate {
            var record = ProductRecord()
            record.name = name
            record.url = url
            return ProductCandidate(record: record, order: 0, size: size)
        }
        let context = MainProductChooser.PageContext(url: "https://s.example/p/blue-kettle?ref=x", titles: ["Blue Kettle | Shop"])
        let related = candidate("Red Toaster", url: "https://s.example/p/red-toaster", size: 150)
        let main = candidate("Blue Kettle 1.7 l", url: "/p/blue-kettle", size: 20)
        #expect(MainProductChooser.choose([related, main], context: context)?.record.name == "Blue Kettle 1.7 l")
        let noURL = MainProductChooser.PageContext(url: nil, titles: ["Blue Kettle | Shop"])
        #expect(MainProductChooser.choose([related, candidate("Blue Kettle", url: nil, size: 5)], context: noURL)?
            .record.name == "Blue Kettle")
    }
}
