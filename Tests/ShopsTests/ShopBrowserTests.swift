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
        let search = BrowserSearch(pool: browser.pool, profile: try SearchProfiles.named("duckduckgo")
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
        let search = BrowserSearch(pool: browser.pool, profile: try SearchProfiles.named("ebay")
            .searching(at: ShopCatalog.ebaySearchURLTemplate))
        let hits = try search.search(ShopWorld.identity(entry).query, timeoutMillis: 30_000)
        #expect(hits.contains { $0.link == ShopCatalog.hangingListingURL })
        // The condition comes from the condition row, not the seller's promotion above it.
        let listings: [SearchListing] = hits.map { SearchListing($0) }
        let openBox = listings.first { listing in listing.wear == "Open box" }
        #expect(openBox?.condition == "like_new")
        #expect(openBox?.price != nil)
        let dirty = hits.filter { hit in hit.title.contains("Opens in a new window") || hit.title.hasPrefix("New Listing") }
        #expect(dirty.isEmpty, "\(dirty.map(\.title))")
        #expect(!hits.contains { $0.link.contains("880000000001") }, "the sponsored carousel is not a result")
        #expect(hits.allSatisfy { $0.link.contains("/itm/") }, "view-similar links are not results")
        #expect(try search.search("Nothing Anyone Sells", timeoutMillis: 30_000).isEmpty)

        let sold = BrowserSearch(pool: browser.pool, profile: try SearchProfiles.named("ebay-sold")
            .searching(at: ShopCatalog.ebaySoldSearchURLTemplate))
        let sales: [SearchListing] = try sold.search(ShopWorld.identity(entry).query, timeoutMillis: 30_000).map { SearchListing($0) }
        let soldLinks: Set<String> = Set(sales.map(\.link))
        let expectedSold: Set<String> = Set(entry.listings.filter(\.inSoldSearch).map(\.url))
        #expect(soldLinks == expectedSold)
        #expect(sales.allSatisfy { sale in sale.sold && sale.soldDate != nil })

        var limits = SecondHandOffersProducer.Limits()
        limits.pageTimeoutMillis = 1_000
        let pages = try ShopWorld.pages(timeoutMillis: 60_000)
        let producer = SecondHandOffersProducer(pages: pages, searches: [search, sold], limits: limits)
        let offers = producer.offers(matches: try ShopWorld.lensMatches(entry.productID), identity: ShopWorld.identity(entry),
                                     timeoutMillis: 40_000)
        let expected = entry.expectedOffers(withSearch: true)
        #expect(Set(offers.map { OfferMerge.key($0.link) }) == Set(expected.map { OfferMerge.key($0.url) }))
        #expect(pages.fetchedURLs.contains(ShopCatalog.hangingListingURL), "the hanging listing was tried")
        #expect(Set(offers.compactMap(\.currency)) == ["USD", "EUR"])
    }

    @Test func theBotChecksAreBlockedAndNotEmpty() throws {
        let browser = try ShopBrowser.get()
        let entry = try #require(ShopCatalog.entry("headphones"))
        let ebay = BrowserSearch(pool: browser.pool, profile: try SearchProfiles.named("ebay").searching(at: ShopCatalog.ebayBotCheckURLTemplate),
                                 diagnosticsDirectory: browser.directory + "/diagnostics")
        #expect {
            try ebay.search(ShopWorld.identity(entry).query, timeoutMillis: 30_000)
        } throws: { error in
            let stage = error as? StageError
            return stage?.code == "marketplace_blocked" && stage?.artifacts.count == 2
        }
        let web = BrowserSearch(pool: browser.pool, profile: try SearchProfiles.named("duckduckgo").searching(at: ShopCatalog.webSearchBotCheckURLTemplate))
        let outcome = try web.run(url: web.profile.url(for: "Everlast PowerCore challenge bag"), timeoutMillis: 30_000)
        #expect(outcome.state == .blocked)
        // A query with "challenge" in it on a real results page is not a bot check.
        let fine = try web.run(url: SearchProfiles.named("duckduckgo").searching(at: ShopCatalog.webSearchURLTemplate)
            .url(for: "\(entry.brand) \(entry.name) challenge"), timeoutMillis: 30_000)
        #expect(fine.state == .results)
        #expect(!fine.hits.contains { $0.link.contains("y.js") || $0.title.hasPrefix("Sale:") }, "the ad is not a result")
        let none = try web.run(url: SearchProfiles.named("duckduckgo").searching(at: ShopCatalog.webSearchURLTemplate).url(for: "zzz qqq"),
                               timeoutMillis: 30_000)
        #expect(none.state == .empty, "the no-results wrapper is empty, not one result")
    }
}
