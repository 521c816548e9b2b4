import DemoWorld
import Extraction
import Pipeline
import Testing

/// The demo world's shop web through its proxy: the pages exist, carry the catalog's facts in
/// their style, and a hanging listing never blocks the others.
@Suite struct DemoShopsTests {
    static let world: DemoWorld? = try? DemoWorld()

    func source(timeoutMillis: Int = 5_000) throws -> ProxyPageSource {
        let world = try #require(DemoShopsTests.world)
        return ProxyPageSource(proxyURL: world.proxyURL, timeoutMillis: timeoutMillis)
    }

    @Test func everyMakerPageCarriesItsFactsInItsOwnStyle() throws {
        let pages = try source()
        #expect(Set(ShopCatalog.entries.map(\.maker.style)) == Set(MakerPageStyle.allCases))
        for entry in ShopCatalog.entries {
            let page = try pages.fetchPage(entry.maker.url)
            let text = String(decoding: page.body, as: UTF8.self)
            let record = try Extractor.extract(html: page.body, url: entry.maker.url)
            let facts = entry.maker.facts
            #expect(text.contains(facts.description) || entry.maker.style == .appState, "\(entry.productID)")
            switch entry.maker.style {
            case .scriptRendered:
                #expect(record.price == nil, "a fetch must not see the script-rendered price")
                #expect(!text.contains("ld+json\">"))
            case .none:
                #expect(!text.contains("ld+json") && !text.contains("itemprop") && !text.contains("og:"))
            case .jsonLDGraph, .microdata, .openGraph, .appState:
                #expect(record.price == facts.price, "\(entry.productID) \(entry.maker.style)")
                #expect(record.currency == facts.currency, "\(entry.productID)")
                #expect(record.name == facts.name, "\(entry.productID)")
            }
        }
    }

    @Test func listingsAnswerUnderEveryURLWithTheirPriceAndCondition() throws {
        let pages = try source()
        for entry in ShopCatalog.entries {
            #expect(Set(entry.listings.map(\.currency)) == ["USD", "EUR"])
            for listing in entry.listings {
                for url in [listing.url, listing.alternateURL].compactMap({ $0 }) {
                    let page = try pages.fetchPage(url)
                    let record = try Extractor.extract(html: page.body, url: url)
                    // The visible reader writes whole amounts without decimals ("65"); the stage pads them.
                    #expect(record.price.flatMap(Double.init) == Double(listing.price), "\(url)")
                    #expect(record.currency == listing.currency, "\(url)")
                    #expect(String(decoding: page.body, as: UTF8.self).contains(listing.wear))
                }
            }
        }
    }

    @Test func unknownSitesAndPagesAreNotFound() throws {
        let pages = try source()
        #expect(throws: StageError.self) { try pages.fetchPage("http://www.ebay.example/itm/1") }
        #expect(throws: StageError.self) { try pages.fetchPage("http://www.nordlys.example/nothing") }
    }

    @Test func theHangingListingNeverAnswersWhileOthersDo() throws {
        let pages = try source(timeoutMillis: 400)
        #expect(throws: StageError(code: "fetch_timeout", message: "\(ShopCatalog.hangingListingURL): no answer within 400 ms")) {
            try pages.fetchPage(ShopCatalog.hangingListingURL)
        }
        let entry = try #require(ShopCatalog.entries.first)
        #expect(try pages.fetchPage(entry.maker.url).status == 200)
    }

    @Test func theLensMatchesListTheMakerPageForAllButOneProduct() throws {
        for product in LensCatalog.products {
            let entry = try #require(ShopCatalog.entry(product.id))
            let links = product.matches.map(\.link)
            #expect(links.contains(entry.maker.url) == entry.maker.inLensMatches)
            #expect(links.allSatisfy { $0.hasPrefix("http://") })
        }
        #expect(ShopCatalog.entries.filter { !$0.maker.inLensMatches }.count == 1)
    }
}
