import DemoWorld
import Pipeline
import Testing
@testable import Producers

/// What the search profiles' readings turn into: listings (ranges, shipping, sales, conditions),
/// the web-search chain, the shipped profile set and the estimate's use of sales.
@Suite struct SearchRulesTests {
    @Test func listingTextsBecomeFields() {
        let range = SearchListing(SearchHit(title: "t", link: "https://www.ebay.com/itm/123456789?hash=x", priceText: "$28.88\nto\n$90.88",
                                            wear: "Free Shipping** 1 Year Warranty\nExcellent - Refurbished",
                                            shippingText: "+$167.46 delivery by Sat, Nov 1"))
        #expect(range.price == "28.88")
        #expect(range.priceMax == "90.88")
        #expect(range.currency == "USD")
        #expect(range.shipping == "167.46", "the date's digits are not the cost")
        #expect(range.condition == "like_new")
        #expect(range.wear == "Excellent - Refurbished")
        #expect(range.link == "https://www.ebay.com/itm/123456789")
        #expect(range.sold == false)

        let yen = SearchListing(SearchHit(title: "t", link: "https://www.ebay.com/itm/1234567", priceText: "3,858 円～13,507 円",
                                          wear: "中古品", shippingText: "＋送料2,509 円", soldText: "販売済み  Jan 8, 2026"))
        #expect(yen.price == "3858")
        #expect(yen.priceMax == "13507")
        #expect(yen.currency == "JPY")
        #expect(yen.shipping == "2509")
        #expect(yen.condition == "used")
        #expect(yen.sold)
        #expect(yen.soldDate == "2026-01-08")

        let german = SearchListing(SearchHit(title: "t", link: "https://www.ebay.de/itm/1234567", priceText: "EUR 10,79",
                                             wear: "Gebraucht", shippingText: "Kostenloser Versand"))
        #expect(german.price == "10.79")
        #expect(german.currency == "EUR")
        #expect(german.shipping == "0.00")
        #expect(german.condition == "used")

        let promotionOnly = SearchListing(SearchHit(title: "t", link: "https://www.ebay.com/itm/1234567", priceText: "$5.00",
                                                    wear: "30 Day Warranty    Car has 73K Miles"))
        #expect(promotionOnly.condition == nil)
        #expect(promotionOnly.wear == nil)

        #expect(SoldMark("Sold  Mar 6, 2026").date == "2026-03-06")
        #expect(SoldMark("Verkauft 5. Mär 2026").date == "2026-03-05")
        #expect(SoldMark("Ended Feb 1, 2026").ended)
        #expect(!SoldMark("NEW LOW PRICE").sold)
    }

    struct Failing: SearchService {
        let name: String
        let code: String
        func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
            throw StageError(code: code, message: "\(name): bot check at the results page", retryable: true)
        }
    }

    @Test func webSearchesAreTriedInOrderUntilOneAnswers() throws {
        let answer = [SearchHit(title: "Maker", link: "https://maker.example/p")]
        let chain = SearchChain([Failing(name: "duckduckgo", code: "search_blocked"), FixedSearch(hits: answer),
                                 Failing(name: "never", code: "search_blocked")])
        #expect(try chain.search("q", timeoutMillis: 10_000) == answer)

        let none = SearchChain([Failing(name: "duckduckgo", code: "search_blocked"), Failing(name: "bing", code: "search_blocked")])
        #expect {
            try none.search("q", timeoutMillis: 10_000)
        } throws: { error in
            guard let stage = error as? StageError else { return false }
            return stage.code == "search_blocked" && stage.message.contains("duckduckgo") && stage.message.contains("bing")
        }
        let mixed = SearchChain([Failing(name: "duckduckgo", code: "search_blocked"), Failing(name: "bing", code: "search_timeout")])
        #expect(throws: StageError.self) { try mixed.search("q", timeoutMillis: 10_000) }

        let producer = ProducerURLProducer(webSearch: none, chat: nil)
        let identity = ProductIdentity(producer: "Sonique", model: "Orbit", confidence: 0.9, method: "heuristic")
        #expect {
            try producer.find(candidates: [], identity: identity, timeoutMillis: 5_000)
        } throws: { error in
            guard let stage = error as? StageError else { return false }
            return stage.code == "maker_page_not_found" && stage.message.contains("could not answer")
                && !stage.message.contains("found none either")
        }
    }

    @Test func aBlockedMarketplaceIsReportedAndTheOthersStillCount() throws {
        let entry = try #require(ShopCatalog.entry("trail-shoe"))
        let listing = try #require(entry.listings.first { $0.inSearch && $0.kind == .offer })
        let producer = SecondHandOffersProducer(
            pages: try ShopWorld.pages(),
            searches: [Failing(name: "ebay", code: "marketplace_blocked"),
                       FixedSearch(hits: [SearchHit(title: listing.title, link: listing.url, priceText: "$\(listing.price)", wear: listing.wear)])])
        let report = producer.collect(matches: [], identity: ShopWorld.identity(entry), timeoutMillis: 10_000)
        #expect(report.failures.map(\.marketplace) == ["ebay"])
        #expect(report.failures.first?.error.code == "marketplace_blocked")
        #expect(report.offers.map(\.link) == [listing.url])
    }

    @Test func aStaleProfileIsAWarningAndItsListingsStillCount() throws {
        let entry = try #require(ShopCatalog.entry("trail-shoe"))
        let listing = try #require(entry.listings.first { $0.inSearch && $0.kind == .offer })
        var hit = SearchHit(title: listing.title, link: listing.url, priceText: "$\(listing.price)", wear: listing.wear)
        hit.degraded = true
        let producer = SecondHandOffersProducer(pages: try ShopWorld.pages(), searches: [FixedSearch(hits: [hit])])
        let report = producer.collect(matches: [], identity: ShopWorld.identity(entry), timeoutMillis: 10_000)
        #expect(report.failures.map(\.marketplace) == ["fixed"])
        #expect(report.failures.first?.error.code == "profile_stale")
        #expect(report.offers.map(\.link) == [listing.url], "the fallback's listings are offers like any")
    }

    @Test func theShippedProfilesAndTheCountrysMarketplaces() throws {
        for name in SearchProfiles.names { _ = try SearchProfiles.named(name) }
        #expect(try SearchProfiles.marketplaces(forCountry: "DE").map(\.name) == ["ebay", "ebay-sold", "kleinanzeigen"])
        #expect(try SearchProfiles.marketplaces(forCountry: "JP").map(\.name) == ["mercari", "ebay", "ebay-sold"])
        #expect(try SearchProfiles.marketplaces(forCountry: "US").map(\.name) == ["ebay", "ebay-sold", "depop"])
        let ebay = try SearchProfiles.named("ebay")
        #expect(ebay.url(for: "lego 7075", country: "DE") == "https://www.ebay.de/sch/i.html?_nkw=lego+7075")
        #expect(try SearchProfiles.named("ebay-sold").url(for: "x", country: "GB").hasSuffix("LH_Sold=1&LH_Complete=1"))
        #expect(try SearchProfiles.named("ebay-sold").itemSelector == ebay.itemSelector, "extends keeps the base's selectors")
        #expect(!(try SearchProfiles.named("vinted").enabledByDefault))
        #expect(!(try SearchProfiles.named("startpage").enabledByDefault))
        #expect(try SearchProfiles.named("bing").kind == .web)
    }

    @Test func salesOutweighAskingPrices() throws {
        typealias C = PriceEstimator.Comparable
        let asking = [C(amount: 200, currency: "USD", condition: "good"), C(amount: 210, currency: "USD", condition: "good"),
                      C(amount: 190, currency: "USD", condition: "good")]
        let sales = [C(amount: 120, currency: "USD", condition: "good", sold: true), C(amount: 130, currency: "USD", condition: "good", sold: true),
                     C(amount: 125, currency: "USD", condition: "good", sold: true)]
        let estimate = try #require(PriceEstimator().estimate(comparables: asking + sales, retail: nil))
        #expect(estimate.price == 125, "three sales are the estimate")
        #expect(estimate.soldMedian == 125)
        #expect(estimate.activeMedian == 200)
        #expect(estimate.soldSampleSize == 3)
        #expect(estimate.activeSampleSize == 3)
        // Fewer sales: both count, the sale more.
        let mixed = try #require(PriceEstimator().estimate(comparables: asking + [C(amount: 170, currency: "USD", condition: "good", sold: true)], retail: nil))
        #expect(mixed.sampleSize == 4)
        #expect(mixed.price < 200)
    }
}
