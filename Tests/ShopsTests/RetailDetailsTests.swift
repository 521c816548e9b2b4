import DemoWorld
import JSON
import Pipeline
import Testing
@testable import Producers

@Suite struct RetailDetailsTests {
    func expectFacts(_ details: RetailDetails, _ entry: ShopEntry, method: String) {
        let facts = entry.maker.facts
        #expect(details.producerURL == entry.maker.url)
        #expect(details.price == facts.price, "\(entry.productID)")
        #expect(details.currency == facts.currency, "\(entry.productID)")
        #expect(details.originalName == facts.name, "\(entry.productID)")
        #expect(details.description == facts.description, "\(entry.productID)")
        #expect(details.material == facts.material, "\(entry.productID)")
        #expect(details.specs.map(\.name) == facts.specs.map(\.name), "\(entry.productID)")
        #expect(details.specs.map(\.value) == facts.specs.map(\.value), "\(entry.productID)")
        #expect(details.method == method, "\(entry.productID)")
    }

    @Test func everyStyleThatAFetchCanReadGivesTheCatalogsFacts() throws {
        let producer = RetailDetailsProducer(pages: try ShopWorld.pages(), renderer: nil, chat: nil)
        for entry in ShopCatalog.entries where entry.maker.style != .scriptRendered {
            let maker = MakerPage(link: entry.maker.url, title: entry.maker.title, domain: entry.maker.domain)
            let details = try producer.details(for: maker, timeoutMillis: 5_000)
            expectFacts(details, entry, method: entry.maker.style == .none ? "visible" : "structured-data")
            if entry.maker.style == .jsonLDGraph || entry.maker.style == .microdata {
                #expect(details.sku == entry.maker.facts.sku)
                #expect(details.gtin == entry.maker.facts.gtin)
                #expect(details.availability == "InStock")
            }
        }
    }

    @Test func theLLMReadsOnlyThePageWithoutStructuredData() throws {
        let bare = try #require(ShopCatalog.entries.first { $0.maker.style == .none })
        let facts = bare.maker.facts
        let chat = StubChat(["retail_details": [
            "name": .string(facts.name), "price": .string("USD \(facts.price)"), "currency": .string(facts.currency),
            "description": .string(facts.description), "material": .string(facts.material),
            "specs": .array(facts.specs.map { ["name": .string($0.name), "value": .string($0.value)] }),
        ]])
        let producer = RetailDetailsProducer(pages: try ShopWorld.pages(), renderer: nil, chat: chat)
        for entry in ShopCatalog.entries where entry.maker.style != .scriptRendered {
            let maker = MakerPage(link: entry.maker.url, title: entry.maker.title, domain: entry.maker.domain)
            let details = try producer.details(for: maker, timeoutMillis: 5_000)
            expectFacts(details, entry, method: entry.maker.style == .none ? "llm" : "structured-data")
        }
        #expect(chat.questions.count == 1, "structured pages never reach the LLM")
        let question = try #require(chat.questions.first)
        #expect(question.schema == "retail_details")
        #expect(question.user.contains("```\n") && question.user.contains(facts.description))
    }

    @Test func aFailingLLMLeavesTheVisibleReading() throws {
        let bare = try #require(ShopCatalog.entries.first { $0.maker.style == .none })
        let producer = RetailDetailsProducer(pages: try ShopWorld.pages(), renderer: nil, chat: StubChat([:]))
        let maker = MakerPage(link: bare.maker.url, title: bare.maker.title, domain: bare.maker.domain)
        expectFacts(try producer.details(for: maker, timeoutMillis: 5_000), bare, method: "visible")
    }

    @Test func fetchFailuresKeepTheirCodes() throws {
        let producer = RetailDetailsProducer(pages: try ShopWorld.pages(timeoutMillis: 300), renderer: nil, chat: nil)
        func code(_ link: String) -> String? {
            do {
                _ = try producer.details(for: MakerPage(link: link, title: "x", domain: "x"), timeoutMillis: 2_000)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code("http://www.nordlys.example/missing") == "fetch_status")
        #expect(code(ShopCatalog.hangingListingURL) == "fetch_timeout")
    }

    @Test func thePayloadHasProtocolsKeys() throws {
        let entry = try #require(ShopCatalog.entries.first)
        let producer = RetailDetailsProducer(pages: try ShopWorld.pages(), renderer: nil, chat: nil)
        let details = try producer.details(for: MakerPage(link: entry.maker.url, title: "", domain: entry.maker.domain), timeoutMillis: 5_000)
        let object = try #require(details.json.objectValue)
        for key in ["producer_url", "price", "currency", "original_name", "description", "material", "specs", "availability", "sku",
                    "gtin", "brand", "image", "method"] {
            #expect(object[key] != nil, "\(key)")
        }
        #expect(details.json["specs"]?[0]?["name"]?.stringValue == entry.maker.facts.specs.first?.name)
    }
}
