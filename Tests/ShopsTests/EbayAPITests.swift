import Dispatch
import DemoWorld
import JSON
import Outbound
import Pipeline
import Synchronization
import Testing
@testable import Producers

/// eBay's Browse API client against the demo world's replica over real HTTP on loopback: one
/// application token shared by every caller, renewed before expiry and once on 401, typed errors,
/// and the mapping of eBay's documented shapes into listings, offers and visual matches.
@Suite struct EbayAPITests {
    /// A world of its own per test (the replica counts tokens), and a client with a clock the test moves.
    struct Rig {
        let world: DemoWorld
        let api: BrowseAPIClient
        let clock = TestClock()

        init(secret: String = EbayAPIReplica.clientSecret) throws {
            world = try DemoWorld()
            let clock = self.clock
            var configuration = BrowseAPIConfiguration(clientID: EbayAPIReplica.clientID, clientSecret: secret)
            configuration.baseURL = world.ebayAPIURL
            configuration.timeoutMillis = 10_000
            api = BrowseAPIClient(configuration: configuration, now: { clock.millis.load(ordering: .relaxed) })
        }

        var replica: EbayAPIReplica { world.ebayAPI }
        func searches() -> [EbayAPIRequest] { replica.requests.filter { $0.call != "token" } }
    }

    static let entry = ShopCatalog.entries[0]

    @Test func oneTokenServesEverySearchAndStage() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let us = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        let de = try #require(MarketplaceAPISearch(api: rig.api, country: "DE"))
        let first = try us.listings("\(Self.entry.brand) \(Self.entry.name)", timeoutMillis: 10_000)
        _ = try de.listings("\(Self.entry.brand) \(Self.entry.name)", timeoutMillis: 10_000)
        let photo = try #require(LensCatalog.product(Self.entry.productID)?.photo)
        let image = UploadedImage(id: "t", path: "/nonexistent", bytes: photo.count)
        let visual = try MarketplaceImageSearch(api: rig.api).search(VisualQuery(image: image, bytes: photo, format: "png"), timeoutMillis: 10_000)

        #expect(!first.isEmpty && !visual.matches.isEmpty)
        #expect(rig.replica.tokensIssued == 1, "\(rig.replica.requests)")
        #expect(rig.api.tokensFetched == 1)
        let tokens = Set(rig.searches().compactMap(\.token))
        #expect(tokens.count == 1 && rig.searches().count == 3)
        #expect(rig.searches().map(\.marketplace) == ["EBAY_US", "EBAY_DE", "EBAY_US"])
    }

    @Test func concurrentCallersWaitForOneTokenFetch() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        let failures = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                _ = try search.listings("\(Self.entry.brand) \(Self.entry.name)", timeoutMillis: 10_000)
            } catch {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(rig.replica.tokensIssued == 1)
        #expect(rig.searches().count == 8)
    }

    @Test func tokenIsRenewedShortlyBeforeItExpires() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        _ = try search.listings("flask", timeoutMillis: 10_000)
        // 7200 s lifetime, renewed 60 s early: at 7139 s the first token still serves.
        rig.clock.millis.add(7_139_000, ordering: .relaxed)
        _ = try search.listings("flask", timeoutMillis: 10_000)
        #expect(rig.replica.tokensIssued == 1)
        rig.clock.millis.add(2_000, ordering: .relaxed)
        _ = try search.listings("flask", timeoutMillis: 10_000)
        #expect(rig.replica.tokensIssued == 2)
        let tokens = rig.searches().compactMap(\.token)
        #expect(tokens.count == 3 && tokens[0] == tokens[1] && tokens[1] != tokens[2])
        #expect(rig.searches().allSatisfy { $0.status == 200 })
    }

    @Test func aTokenShorterThanTheMarginServesHalfItsLife() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        rig.replica.tokenLifetimeSeconds.store(30, ordering: .relaxed)
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        _ = try search.listings("flask", timeoutMillis: 10_000)
        rig.clock.millis.add(14_000, ordering: .relaxed)
        _ = try search.listings("flask", timeoutMillis: 10_000)
        #expect(rig.replica.tokensIssued == 1)
        rig.clock.millis.add(2_000, ordering: .relaxed)
        _ = try search.listings("flask", timeoutMillis: 10_000)
        #expect(rig.replica.tokensIssued == 2)
    }

    @Test func a401RenewsTheTokenOnceAndRepeatsTheCall() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        _ = try search.listings("flask", timeoutMillis: 10_000)
        rig.replica.revokeTokens()
        let listings = try search.listings("\(Self.entry.brand) \(Self.entry.name)", timeoutMillis: 10_000)
        #expect(!listings.isEmpty)
        #expect(rig.replica.tokensIssued == 2)
        #expect(rig.searches().map(\.status) == [200, 401, 200])
    }

    @Test func a401AfterRenewalIsUnauthorizedAndNamesNoSecret() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        rig.replica.refusesEveryToken.store(true, ordering: .relaxed)
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        let error = try #require(throws: StageError.self) { try search.listings("flask", timeoutMillis: 10_000) }
        #expect(error.code == "api_unauthorized" && !error.retryable)
        #expect(rig.replica.tokensIssued == 2, "one renewal, not more")
        #expect(rig.searches().map(\.status) == [401, 401])
        let tokens = rig.searches().compactMap(\.token)
        for secret in [EbayAPIReplica.clientSecret] + tokens { #expect(!error.message.contains(secret)) }
    }

    @Test func aRefusedKeysetIsUnauthorized() throws {
        let rig = try Rig(secret: "wrong-secret")
        defer { rig.world.shutdown() }
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        let error = try #require(throws: StageError.self) { try search.listings("flask", timeoutMillis: 10_000) }
        #expect(error.code == "api_unauthorized" && !error.retryable, "\(error)")
        #expect(error.message.contains("invalid_client") && !error.message.contains("wrong-secret"))
        #expect(rig.searches().isEmpty)
    }

    @Test func a429IsRateLimitedWithTheWaitItAskedFor() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        _ = try search.listings("flask", timeoutMillis: 10_000)
        rig.replica.rateLimitSeconds.store(37, ordering: .relaxed)
        let error = try #require(throws: StageError.self) { try search.listings("flask", timeoutMillis: 10_000) }
        #expect(error.code == "api_rate_limited" && error.retryable && error.retryAfterSeconds == 37, "\(error)")

        // The offers stage reports it as the marketplace's error and never as an empty answer.
        let producer = SecondHandOffersProducer(pages: try ShopWorld.pages(), searches: [search])
        let report = producer.collect(matches: [], identity: ShopWorld.identity(Self.entry), timeoutMillis: 10_000)
        #expect(report.offers.isEmpty)
        #expect(report.failures.map(\.marketplace) == ["ebay-api"])
        #expect(report.failures.first?.error.retryAfterSeconds == 37)

        // The visual provider says the same.
        let photo = try #require(LensCatalog.product(Self.entry.productID)?.photo)
        let query = VisualQuery(image: UploadedImage(id: "t", path: "/nonexistent", bytes: photo.count), bytes: photo, format: "png")
        let failure = try #require(throws: VisualSearchFailure.self) { try MarketplaceImageSearch(api: rig.api).search(query, timeoutMillis: 10_000) }
        #expect(failure.code == "api_rate_limited" && failure.retryAfterSeconds == 37 && failure.provider == "ebay-image")
    }

    @Test func anUnreachableAPIIsNetworkUnavailableWithoutTheQuery() throws {
        // A port nothing listens on: the world's, after it stopped.
        let world = try DemoWorld()
        let url = world.ebayAPIURL
        world.shutdown()
        var configuration = BrowseAPIConfiguration(clientID: "id", clientSecret: "secret")
        configuration.baseURL = url
        let search = MarketplaceAPISearch(api: BrowseAPIClient(configuration: configuration), marketplace: "EBAY_US")
        let error = try #require(throws: StageError.self) { try search.listings("secret product words", timeoutMillis: 5_000) }
        #expect(error.code == "network_unavailable" && error.retryable, "\(error)")
        #expect(!error.message.contains("secret"))
    }

    @Test func requestShapeAndGTINSearch() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let entry = try #require(ShopCatalog.entries.first { $0.maker.facts.gtin.hasSuffix(ShopCatalog.barcodeSampleGTIN) })
        let search = try #require(MarketplaceAPISearch(api: rig.api, country: "GB"))
        let byNumber = try search.listings(query: nil, gtin: ShopCatalog.barcodeSampleGTIN, limit: 3, timeoutMillis: 10_000)
        #expect(byNumber.count == 3)
        #expect(byNumber.allSatisfy { listing in entry.listings.contains { $0.url == listing.link } })
        _ = try search.listings("Ü & ü + more", timeoutMillis: 10_000)
        let asked = rig.searches()
        #expect(asked.first?.gtin == ShopCatalog.barcodeSampleGTIN && asked.first?.limit == "3" && asked.first?.q == nil)
        #expect(asked.last?.q == "Ü & ü + more" && asked.last?.limit == "50", "percent-encoded, + kept as a plus")
        #expect(asked.allSatisfy { $0.marketplace == "EBAY_GB" })
        #expect(try search.listings("nothing like this anywhere", timeoutMillis: 10_000).isEmpty, "no itemSummaries: no listings")
        // A barcode's number, as the photo-reading stage searches it, is asked as a GTIN.
        let hits = try search.search(ShopCatalog.barcodeSampleGTIN, timeoutMillis: 10_000)
        #expect(rig.searches().last?.gtin == ShopCatalog.barcodeSampleGTIN && rig.searches().last?.q == nil)
        #expect(hits.count == entry.listings.filter(\.inSearch).count && hits.allSatisfy { $0.priceText?.hasPrefix("USD ") == true })
    }

    @Test func retryAfterInSecondsOrAsADate() {
        #expect(RetryAfter.seconds(" 120 ", now: 0) == 120)
        // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_480 - 90) == 90)
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:28:00 GMT", now: 1_445_412_480 + 5) == 0)
        #expect(RetryAfter.seconds("-3", now: 0) == nil)
        #expect(RetryAfter.seconds("soon", now: 0) == nil)
    }

    @Test func theEbayBlockedFaultBlocksTheSearchPagesOnly() throws {
        let world = try DemoWorld(faults: [.ebayBlocked])
        defer { world.shutdown() }
        let pages = ProxyPageSource(proxyURL: world.proxyURL)
        for url in ["http://www.ebay.example/sch/i.html?_nkw=flask", "http://www.ebay.example/sch/i.html?_nkw=flask&LH_Sold=1&LH_Complete=1"] {
            let page = try pages.fetchPage(url)
            #expect(String(decoding: page.body, as: UTF8.self).contains("Checking your browser before you access eBay"), "\(url)")
        }
        let listing = try #require(Self.entry.listings.first { $0.inSearch })
        let page = try pages.fetchPage(listing.url)
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains(listing.title))
        world.faults.set(.ebayBlocked, false)
        let open = try pages.fetchPage("http://www.ebay.example/sch/i.html?_nkw=flask")
        #expect(!String(decoding: open.body, as: UTF8.self).contains("Checking your browser"))
    }

    @Test func marketplacesByCountry() {
        #expect(BrowseAPIClient.marketplace(forCountry: "us") == "EBAY_US")
        #expect(BrowseAPIClient.marketplace(forCountry: "UK") == "EBAY_GB")
        #expect(BrowseAPIClient.marketplace(forCountry: "DE") == "EBAY_DE")
        #expect(BrowseAPIClient.marketplace(forCountry: "JP") == nil)
        // The IDs are the marketplace file's data.
        #expect(BrowseAPIClient.marketplace(forCountry: "tw") == "EBAY_TW")
        #expect(MarketplaceCatalog.named("ebay")?.apiSiteIDs.count == 19)
    }

    /// Every field lens-gpt reads of a documented `ItemSummary` (eBay's Browse API reference).
    @Test func aFullDocumentedItemSummaryMapsToAListing() throws {
        let body = try JSONParser.parse(Array("""
            {"href": "https://api.ebay.com/buy/browse/v1/item_summary/search?q=drone&limit=3&offset=0", "total": 1, "limit": 3, "offset": 0,
             "itemSummaries": [{
               "itemId": "v1|110012345678|0", "legacyItemId": "110012345678", "title": "DJI Mini 3 Drone - Fly More Combo",
               "itemGroupType": null, "itemHref": "https://api.ebay.com/buy/browse/v1/item/v1%7C110012345678%7C0",
               "itemWebUrl": "https://www.ebay.com/itm/110012345678?hash=item19a0b1c2d3:g:abcAAOSw",
               "price": {"value": "389.99", "currency": "USD"},
               "shippingOptions": [{"shippingCostType": "FIXED", "shippingCost": {"value": "12.50", "currency": "USD"}},
                                   {"shippingCostType": "FIXED", "shippingCost": {"value": "0.00", "currency": "USD"}}],
               "condition": "Used", "conditionId": "3000",
               "image": {"imageUrl": "https://i.ebayimg.com/thumbs/images/g/abc/s-l225.jpg"},
               "thumbnailImages": [{"imageUrl": "https://i.ebayimg.com/images/g/abc/s-l1600.jpg"}],
               "buyingOptions": ["FIXED_PRICE", "BEST_OFFER"], "itemEndDate": "2026-12-31T23:59:59.000Z",
               "seller": {"username": "s***r", "feedbackPercentage": "99.8", "feedbackScore": 1234},
               "itemLocation": {"postalCode": "950**", "country": "US"}, "categories": [{"categoryId": "179697", "categoryName": "Camera Drones"}],
               "adultOnly": false
             }],
             "warnings": [{"errorId": 12001, "domain": "API_BROWSE", "category": "REQUEST", "message": "A warning"}]}
            """.utf8))
        let page = BrowseSearchPage(body)
        #expect(page.total == 1 && page.warnings == ["A warning"])
        let item = try #require(page.items.first)
        #expect(item.buyingOptions == ["FIXED_PRICE", "BEST_OFFER"] && item.endDate == "2026-12-31T23:59:59.000Z")
        let listing = SearchListing(item, provider: "ebay-api")
        #expect(listing.title == "DJI Mini 3 Drone - Fly More Combo")
        #expect(listing.link == "https://www.ebay.com/itm/110012345678", "tracking parameters dropped as on page links")
        #expect(listing.price == "389.99" && listing.currency == "USD" && listing.priceMax == nil)
        #expect(listing.shipping == "0.00", "the cheapest shipping option")
        #expect(listing.condition == "used" && listing.wear == "Used")
        #expect(listing.thumbnail == "https://i.ebayimg.com/thumbs/images/g/abc/s-l225.jpg")
        #expect(listing.itemID == "v1|110012345678|0" && !listing.sold && !listing.ended)
        let json = listing.json
        #expect(json["provider"] == "ebay-api" && json["item_id"] == "v1|110012345678|0")
        for key in ["title", "link", "price", "price_max", "currency", "shipping", "condition", "wear", "sold", "sold_date"] {
            #expect(json[key] != nil, "\(key) present as the page profiles print it")
        }
        #expect(BrowseSearchPage(try JSONParser.parse(Array(#"{"href": "x", "total": 0, "limit": 50, "offset": 0}"#.utf8))).items.isEmpty)
    }

    @Test func conditionIDsNormalise() throws {
        func condition(_ id: String?, _ text: String?) throws -> String? {
            var object: JSONObject = ["title": "t", "itemWebUrl": "https://www.ebay.com/itm/1"]
            if let id { object["conditionId"] = .string(id) }
            if let text { object["condition"] = .string(text) }
            return try #require(BrowseItemSummary(.object(object))).condition
        }
        let expected: [(String, String)] = [
            ("1000", "new"), ("1500", "new"), ("1750", "like_new"), ("2000", "like_new"), ("2010", "like_new"), ("2020", "very_good"),
            ("2030", "good"), ("2500", "very_good"), ("2750", "like_new"), ("3000", "used"), ("4000", "very_good"), ("5000", "good"),
            ("6000", "acceptable"), ("7000", "for_parts"),
        ]
        for (id, name) in expected { #expect(try condition(id, nil) == name, "\(id)") }
        #expect(try condition("1500", "Open box") == "like_new")
        #expect(try condition(nil, "For parts or not working") == "for_parts")
        #expect(try condition(nil, nil) == nil)
        #expect(BrowseItemSummary(["title": "no link"]) == nil)
    }

    @Test func apiOffersNeedNoPageAndStandInForTheEbayPage() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let api = try #require(MarketplaceAPISearch(api: rig.api, country: "US"))
        let page = CountingSearch(name: "ebay")
        let sold = CountingSearch(name: "ebay-sold")
        let pages = try ShopWorld.pages()
        let producer = SecondHandOffersProducer(pages: pages, searches: [api, page, sold])
        let report = producer.collect(matches: [], identity: ShopWorld.identity(Self.entry), timeoutMillis: 10_000)
        let expected = Self.entry.listings.filter { $0.kind == .offer && $0.inSearch }
        #expect(Set(report.offers.map(\.link)) == Set(expected.map(\.url)), "lots, parts and copies dropped as for pages")
        for listing in expected {
            let offer = try #require(report.offers.first { $0.link == listing.url })
            #expect(offer.provider == "ebay-api" && offer.price == listing.price && offer.currency == listing.currency)
            #expect(offer.condition == listing.condition && !offer.wear.isEmpty && offer.shipping == "0.00", "\(offer)")
            #expect(offer.json["provider"] == "ebay-api")
        }
        #expect(pages.fetchedURLs.isEmpty, "the API gave each offer whole")
        #expect(page.calls.load(ordering: .relaxed) == 0, "the page profile of the same site is not run")
        #expect(sold.calls.load(ordering: .relaxed) == 1, "sold listings still come from the page reader")
    }

    @Test func searchByImageNamesTheSamplePhotos() throws {
        let rig = try Rig()
        defer { rig.world.shutdown() }
        let provider = MarketplaceImageSearch(api: rig.api)
        for product in LensCatalog.products {
            let entry = try #require(ShopCatalog.entry(product.id))
            let query = VisualQuery(image: UploadedImage(id: product.id, path: "/nonexistent", bytes: product.photo.count,
                                                         locale: RunLocale(country: "DE", language: "de")),
                                    bytes: product.photo, format: "png")
            let result = try provider.search(query, timeoutMillis: 10_000)
            #expect(Set(result.matches.map(\.link)) == Set(entry.listings.filter(\.inSearch).map(\.url)), "\(product.id)")
            #expect(result.matches.allSatisfy { $0.provider == "ebay-image" && $0.price != nil && $0.domain == "ebay.example" })
            let consensus = TitleConsensus().identify(titles: result.matches.map(\.title))
            #expect(consensus?.producer == entry.brand, "\(product.id): \(String(describing: consensus))")
        }
        #expect(rig.searches().allSatisfy { $0.call == "search_by_image" && $0.marketplace == "EBAY_DE" })
        let unknown = VisualQuery(image: UploadedImage(id: "x", path: "/nonexistent", bytes: 4), bytes: [1, 2, 3, 4], format: "png")
        #expect(try provider.search(unknown, timeoutMillis: 10_000).isEmpty)
    }
}

/// Milliseconds that pass only when a test says so.
final class TestClock: Sendable {
    let millis = Atomic(1_000_000)
}

/// A page search that only counts how often it was asked.
final class CountingSearch: SearchService {
    let name: String
    let calls = Atomic(0)
    init(name: String) { self.name = name }
    func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        calls.add(1, ordering: .relaxed)
        return []
    }
}
