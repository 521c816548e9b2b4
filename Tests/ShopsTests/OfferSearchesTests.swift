import DemoWorld
import Pipeline
import Synchronization
import Testing
import TestSupport
@testable import Producers

/// How `second-hand-offers` spends its time: the marketplace searches run at once, and the
/// Lens listings' pages are read while they run.
@Suite struct OfferSearchesTests {
    @Test func theMarketplaceSearchesRunAtOnce() throws {
        let started = Mutex(0)
        // Each search answers only once the other has started too: run one after the other, the first gives up.
        let searches = ["ebay", "ebay-sold"].map { name in
            WaitingSearch(name: name) { started.withLock { $0 } == 2 } onStart: { started.withLock { $0 += 1 } }
        }
        let entry = try #require(ShopCatalog.entry("trail-shoe"))
        let producer = SecondHandOffersProducer(pages: try ShopWorld.pages(), searches: searches)
        let report = producer.collect(matches: [], identity: ShopWorld.identity(entry), timeoutMillis: 20_000)
        #expect(report.failures.isEmpty, "\(report.failures.map(\.error.message))")
        #expect(searches.allSatisfy { $0.sawCondition.withLock { $0 } })
    }

    @Test func theLensListingsAreReadWhileTheSearchesRun() throws {
        let entry = try #require(ShopCatalog.entry("trail-shoe"))
        let pages = try ShopWorld.pages()
        let matches = try ShopWorld.lensMatches(entry.productID)
        let listings = Set(entry.expectedOffers(withSearch: false).map { OfferMerge.key($0.url) })
        try #require(!listings.isEmpty)
        // The search answers once a Lens listing's page has been read: after the searches, the reads would come too late.
        let search = WaitingSearch(name: "ebay") { pages.fetchedURLs.contains { listings.contains(OfferMerge.key($0)) } }
        let producer = SecondHandOffersProducer(pages: pages, searches: [search])
        let offers = producer.collect(matches: matches, identity: ShopWorld.identity(entry), timeoutMillis: 20_000).offers
        #expect(search.sawCondition.withLock { $0 })
        // What is read early counts as before: the same offers as with no search at all.
        #expect(Set(offers.map(\.link)) == Set(producer.offers(matches: matches, identity: ShopWorld.identity(entry), timeoutMillis: 10_000).map(\.link)))
    }
}

/// A search that waits (at most five seconds) for a condition, then finds nothing; it fails
/// when the condition never held.
final class WaitingSearch: SearchService, Sendable {
    let name: String
    let condition: @Sendable () -> Bool
    let onStart: @Sendable () -> Void
    let sawCondition = Mutex(false)

    init(name: String, until condition: @escaping @Sendable () -> Bool, onStart: @escaping @Sendable () -> Void = {}) {
        self.name = name
        self.condition = condition
        self.onStart = onStart
    }

    func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        onStart()
        guard waitUntil(timeout: 5, condition) else {
            throw StageError(code: "search_timeout", message: "\(name): the condition never held")
        }
        sawCondition.withLock { $0 = true }
        return []
    }
}
