import DemoWorld
import Pipeline
@testable import LensGPT
@testable import Producers
import Synchronization
import Testing

/// Where eBay's API joins the order: `ebay-image` after Google Lens and the hosted Lens API when
/// eBay's keys are set (and only then), `ebay-api` before the `ebay` page profile, which runs
/// only when the API did not answer.
@Suite struct EbayProviderOrderTests {
    func client(_ world: DemoWorld) -> BrowseAPIClient {
        var configuration = BrowseAPIConfiguration(clientID: EbayAPIReplica.clientID, clientSecret: EbayAPIReplica.clientSecret)
        configuration.baseURL = world.ebayAPIURL
        return BrowseAPIClient(configuration: configuration)
    }

    @Test func ebayImageJoinsTheDefaultOrderLastWhenKeysAreSet() throws {
        let world = try DemoWorld()
        defer { world.shutdown() }
        let options = try VisualSearchOptions.parse([])
        let with = try VisualSearchSetup.make(options, lens: nil, demoWorld: nil, servesPhotos: false, marketAPI: client(world))
        #expect(with.providers.map(\.name) == ["ebay-image"])
        #expect(with.notes.first?.hasPrefix("google-lens") == true && with.notes.contains { $0.hasPrefix("serpapi") })
        let without = try VisualSearchSetup.make(options, lens: nil, demoWorld: nil, servesPhotos: false, marketAPI: nil)
        #expect(without.providers.isEmpty && !without.notes.contains { $0.hasPrefix("ebay-image") })
        // Named without keys: left out with a note, as serpapi is.
        let named = try VisualSearchSetup.make(try VisualSearchOptions.parse(["--visual-providers", "ebay-image"]), lens: nil,
                                               demoWorld: nil, servesPhotos: false, marketAPI: nil)
        #expect(named.providers.isEmpty && named.notes == ["ebay-image: EBAY_CLIENT_ID and EBAY_CLIENT_SECRET not set"])
    }

    @Test func thePageProfileRunsWhenTheAPIFails() throws {
        let world = try DemoWorld()
        defer { world.shutdown() }
        world.ebayAPI.rateLimitSeconds.store(5, ordering: .relaxed)
        let api = try #require(MarketplaceAPISearch(api: client(world), country: "US"))
        let page = RecordingSearch(name: "ebay")
        let producer = SecondHandOffersProducer(pages: NoPages(), searches: [api, page])
        let entry = ShopCatalog.entries[0]
        let report = producer.collect(matches: [], identity: ProductIdentity(producer: entry.brand, model: entry.name, confidence: 0.9,
                                                                             method: "heuristic"), timeoutMillis: 10_000)
        #expect(report.failures.map(\.error.code) == ["api_rate_limited"])
        #expect(page.asked.withLock { $0 } == 1, "the page reader is the fallback")
    }
}

/// A page search that counts how often it was asked and finds nothing.
final class RecordingSearch: SearchService, Sendable {
    let name: String
    let asked = Mutex(0)
    init(name: String) { self.name = name }
    func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        asked.withLock { $0 += 1 }
        return []
    }
}

/// No page can be read.
struct NoPages: PageSource {
    func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) {
        throw StageError(code: "fetch_failed", message: "no pages in this test")
    }
}
