import DemoWorld
import JSON
import Pipeline
import Testing
@testable import Producers

@Suite struct OffersTests {
    func expectOffers(_ offers: [SecondHandOffer], _ expected: [ListingSpec], _ label: String) {
        #expect(offers.count == expected.count, "\(label): \(offers.map(\.link))")
        for listing in expected {
            guard let offer = offers.first(where: { OfferMerge.key($0.link) == OfferMerge.key(listing.url) }) else {
                Issue.record("\(label): no offer for \(listing.url)")
                continue
            }
            #expect(offer.price == listing.price, "\(listing.url)")
            #expect(offer.currency == listing.currency, "\(listing.url)")
            #expect(offer.wear == listing.wear, "\(listing.url)")
            #expect(offer.condition == listing.condition, "\(listing.url)")
            #expect(offer.title == listing.title, "\(listing.url)")
            #expect(offer.domain == listing.marketplace.domain)
            #expect(offer.thumbnail == listing.thumbnail)
        }
    }

    @Test func theLensListingsThatAreOffersForEveryProduct() throws {
        let pages = try ShopWorld.pages()
        let producer = SecondHandOffersProducer(pages: pages, searches: [])
        for entry in ShopCatalog.entries {
            let offers = producer.offers(matches: try ShopWorld.lensMatches(entry.productID), identity: ShopWorld.identity(entry),
                                         timeoutMillis: 10_000)
            expectOffers(offers, entry.expectedOffers(withSearch: false), entry.productID)
        }
        // Lots and other models were dropped by title before any page was read.
        #expect(!pages.fetchedURLs.contains { $0.contains("lot-of-3") || $0.contains("/items/") && $0.contains("floor") })
    }

    @Test func searchHitsAddListingsAndDuplicatesMerge() throws {
        let entry = try #require(ShopCatalog.entry("trail-shoe"))
        // What the eBay-like search page lists: every eBay listing, each under both its URLs.
        let hits = entry.listings.filter(\.inSearch).flatMap { listing in
            [listing.url, listing.alternateURL].compactMap { $0 }.map {
                SearchHit(title: listing.title, link: $0 + "?hash=item\(listing.itemID)", priceText: "$\(listing.price)", wear: listing.wear)
            }
        } + entry.listings.filter(\.inSoldSearch).map { listing in
            // The sold-listings search: sales taken from the results page, no listing page read.
            SearchHit(title: listing.title, link: listing.url + "?hash=item\(listing.itemID)", priceText: "$\(listing.price)",
                      wear: listing.wear, thumbnail: listing.thumbnail, shippingText: "+$8.50 delivery", soldText: "Sold  Mar 6, 2026")
        }
        let pages = try ShopWorld.pages()
        let producer = SecondHandOffersProducer(pages: pages, searches: [FixedSearch(hits: hits)])
        let offers = producer.offers(matches: try ShopWorld.lensMatches(entry.productID), identity: ShopWorld.identity(entry),
                                     timeoutMillis: 10_000)
        expectOffers(offers, entry.expectedOffers(withSearch: true), "with search")
        #expect(Set(pages.fetchedURLs.map(OfferMerge.key)).count == pages.fetchedURLs.count, "each listing read once")
        #expect(!pages.fetchedURLs.contains { $0.contains("parts") || $0.contains("replica") })
        let sold = offers.filter(\.sold)
        #expect(Set(sold.map(\.link)) == Set(entry.listings.filter(\.inSoldSearch).map(\.url)), "sales are marked sold")
        #expect(sold.allSatisfy { $0.soldDate == "2026-03-06" && $0.shipping == "8.50" })
        #expect(!pages.fetchedURLs.contains { url in sold.contains { OfferMerge.key($0.link) == OfferMerge.key(url) } },
                "a sale needs no page read")
    }

    @Test func aListingThatNeverAnswersCostsItsCapAndNoMore() throws {
        let entry = try #require(ShopCatalog.entry("desk-lamp"))
        var limits = SecondHandOffersProducer.Limits()
        limits.pageTimeoutMillis = 600
        limits.parallelPages = 2
        let producer = SecondHandOffersProducer(
            pages: try ShopWorld.pages(timeoutMillis: 60_000),
            searches: [FixedSearch(hits: [SearchHit(title: ShopCatalog.hangingListingTitle(entry), link: ShopCatalog.hangingListingURL,
                                                    priceText: "$70.00", wear: "Pre-owned")])],
            limits: limits)
        let started = ContinuousClock.now
        let offers = producer.offers(matches: try ShopWorld.lensMatches(entry.productID), identity: ShopWorld.identity(entry),
                                     timeoutMillis: 8_000)
        let took = ContinuousClock.now - started
        expectOffers(offers, entry.expectedOffers(withSearch: false), "hanging")
        #expect(took < .milliseconds(3_000), "took \(took)")
    }

    @Test func aSourceThatIgnoresTheCapIsLeftBehindAtTheStagesEnd() throws {
        let entry = try #require(ShopCatalog.entry("desk-lamp"))
        // The contract's fetchPage(_:) only: the source's own (long) limit applies to each page.
        struct CapBlind: PageSource {
            let inner: ProxyPageSource
            func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) { try inner.fetchPage(url) }
        }
        let producer = SecondHandOffersProducer(
            pages: CapBlind(inner: try ShopWorld.pages(timeoutMillis: 60_000)),
            searches: [FixedSearch(hits: [SearchHit(title: ShopCatalog.hangingListingTitle(entry), link: ShopCatalog.hangingListingURL)])])
        let started = ContinuousClock.now
        let offers = producer.offers(matches: try ShopWorld.lensMatches(entry.productID), identity: ShopWorld.identity(entry),
                                     timeoutMillis: 1_500)
        #expect(ContinuousClock.now - started < .milliseconds(2_500))
        #expect(offers.count == entry.expectedOffers(withSearch: false).count)
    }

    @Test func noListingsIsAnEmptyList() throws {
        let entry = try #require(ShopCatalog.entry("ceramic-mug"))
        let producer = SecondHandOffersProducer(pages: try ShopWorld.pages(), searches: [])
        #expect(producer.offers(matches: [], identity: ShopWorld.identity(entry), timeoutMillis: 1_000).isEmpty)
        let offer = SecondHandOffer(price: "1.00", currency: "EUR", link: "l", title: "t", wear: "w", condition: "good", domain: "d")
        #expect(Set(offer.json.objectValue?.keys ?? []) == ["price", "link", "title", "wear", "currency", "condition", "domain", "thumbnail", "sold",
                                                            "partial_match"])
        let ranged = SecondHandOffer(price: "20.00", currency: "USD", link: "l", title: "t", wear: "w", condition: "good", domain: "d",
                                     priceMax: "35.00", shipping: "0.00", sold: true, soldDate: "2026-03-06")
        #expect(ranged.json["price_max"] == "35.00")
        #expect(ranged.json["shipping"] == "0.00")
        #expect(ranged.json["sold"] == true)
        #expect(ranged.json["sold_date"] == "2026-03-06")
    }
}
