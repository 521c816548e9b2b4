import DemoWorld
import Pipeline
import Testing
@testable import Producers

/// The shopping stages' browser paths on real headless Chromium against the demo world.
@Suite(.serialized) struct ShopBrowserTests {
    @Test func theScriptRenderedMakerPageIsReadFromTheBrowser() throws {
        let browser = try ShopBrowser.get()
        let entry = try #require(ShopCatalog.entries.first { $0.maker.style == .scriptRendered })
        let maker = MakerPage(link: entry.maker.url, title: entry.maker.title, domain: entry.maker.domain)
        let fetchOnly = RetailDetailsProducer(pages: try ShopWorld.pages(), renderer: nil, chat: nil)
        #expect(try fetchOnly.details(for: maker, timeoutMillis: 5_000).price == nil, "the fetched HTML has no price")

        let producer = RetailDetailsProducer(pages: try ShopWorld.pages(), renderer: BrowserPageRenderer(pool: browser.pool), chat: nil)
        let details = try producer.details(for: maker, timeoutMillis: 30_000)
        let facts = entry.maker.facts
        #expect(details.price == facts.price)
        #expect(details.currency == facts.currency)
        #expect(details.originalName == facts.name)
        #expect(details.description == facts.description)
        #expect(details.material == facts.material)
        #expect(details.specs.map(\.value) == facts.specs.map(\.value))
        #expect(details.method == "structured-data")
    }

    @Test func theWebSearchFindsTheMakerPageLensDidNotShow() throws {
        let browser = try ShopBrowser.get()
        let entry = try #require(ShopCatalog.entries.first { !$0.maker.inLensMatches })
        let search = BrowserSearch(pool: browser.pool, profile: try SearchProfile.webSearch()
            .searching(at: ShopCatalog.webSearchURLTemplate))
        let hits = try search.search(ShopWorld.identity(entry).query, timeoutMillis: 30_000)
        #expect(hits.contains { $0.link == entry.maker.url }, "redirect links are unwrapped: \(hits.map(\.link))")
        let producer = ProducerURLProducer(webSearch: search, chat: nil)
        let found = try producer.find(candidates: try ShopWorld.lensMatches(entry.productID).map { .init(title: $0.title, link: $0.link) },
                                      identity: ShopWorld.identity(entry), timeoutMillis: 30_000)
        #expect(found.link == entry.maker.url)
        #expect(found.domain == entry.maker.domain)
    }

    @Test func theEbaySearchAddsItsListingsAndTheHangingOneIsSkipped() throws {
        let browser = try ShopBrowser.get()
        let entry = try #require(ShopCatalog.entry("headphones"))
        let search = BrowserSearch(pool: browser.pool, profile: try SearchProfile.ebaySearch()
            .searching(at: ShopCatalog.ebaySearchURLTemplate))
        let hits = try search.search(ShopWorld.identity(entry).query, timeoutMillis: 30_000)
        #expect(hits.contains { $0.link == ShopCatalog.hangingListingURL })
        #expect(hits.contains { $0.wear == "Open box" && $0.priceText?.hasPrefix("$") == true })
        #expect(try search.search("Nothing Anyone Sells", timeoutMillis: 30_000).isEmpty)

        var limits = SecondHandOffersProducer.Limits()
        limits.pageTimeoutMillis = 1_000
        let pages = try ShopWorld.pages(timeoutMillis: 60_000)
        let producer = SecondHandOffersProducer(pages: pages, searches: [search], limits: limits)
        let offers = producer.offers(matches: try ShopWorld.lensMatches(entry.productID), identity: ShopWorld.identity(entry),
                                     timeoutMillis: 40_000)
        let expected = entry.expectedOffers(withSearch: true)
        #expect(Set(offers.map { OfferMerge.key($0.link) }) == Set(expected.map { OfferMerge.key($0.url) }))
        #expect(pages.fetchedURLs.contains(ShopCatalog.hangingListingURL), "the hanging listing was tried")
        #expect(Set(offers.compactMap(\.currency)) == ["USD", "EUR"])
    }
}
