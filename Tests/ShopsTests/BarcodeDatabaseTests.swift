import DemoWorld
import Outbound
import PhotoReading
import Synchronization
import Testing
@testable import Producers

/// The barcode databases, each against its replica in the published shape: found, unknown, 429
/// (with the wait it asked for, and no call inside that wait), a refused key, no network; the
/// look-up's per-GTIN cache; and a GTIN named by a database before any web search.
@Suite struct BarcodeDatabaseTests {
    static let food = BarcodeDatabaseReplicas.foods[0]
    static let book = BarcodeDatabaseReplicas.books[0]
    static let userAgent = "lens-gpt/test (ops@example.com)"
    static let unknown = "05901234123457"

    func gtin(_ digits: String) throws -> String { try #require(GTIN.normalized(digits)) }

    @Test func openFoodFactsFindsItsProductAndSaysUnknownForOthers() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let database = OpenFoodFacts(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent)
        let found = try database.lookup(try gtin(BarcodeDatabaseTests.food.gtin), timeoutMillis: 5_000)
        #expect(found == [BarcodeProduct(source: "openfoodfacts", name: "Rye Crispbread 250 g", brand: "Kornmo", category: "Crispbreads",
                                         image: "https://images.openfoodfacts.org/images/products/7612345000015/front_en.3.400.jpg",
                                         link: replicas.baseURL + "/product/7612345000015")])
        #expect(found.first?.identity == ProductIdentity(producer: "Kornmo", model: "Rye Crispbread 250 g", confidence: 0.95, method: "heuristic"))
        #expect(try database.lookup(BarcodeDatabaseTests.unknown, timeoutMillis: 5_000) == [])
        let request = try #require(replicas.requests.first)
        #expect(request.path == "/api/v2/product/7612345000015.json")
        #expect(request.headers["User-Agent"] == BarcodeDatabaseTests.userAgent)
        #expect(request.parameter("fields")?.contains("product_name") == true)
    }

    @Test func upcitemdbTrialWithoutAKeyAndV1WithIt() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let flask = try #require(ShopCatalog.entry("vacuum-flask"))
        let trial = UPCitemdb(base: replicas.baseURL, userKey: nil)
        let found = try trial.lookup(try gtin(ShopCatalog.barcodeSampleGTIN), timeoutMillis: 5_000)
        #expect(found.count == 1)
        #expect(found.first?.identity?.producer == flask.brand)
        #expect(found.first?.identity?.model == flask.name)
        #expect(found.first?.model == flask.maker.facts.sku)
        #expect(try trial.lookup(BarcodeDatabaseTests.unknown, timeoutMillis: 5_000) == [])
        #expect(replicas.requests.first?.path == "/prod/trial/lookup")
        #expect(replicas.requests.first?.parameter("upc") == ShopCatalog.barcodeSampleGTIN)
        #expect(replicas.requests.first?.headers["user_key"] == nil)

        let paid = UPCitemdb(base: replicas.baseURL, userKey: BarcodeDatabaseReplicas.upcitemdbUserKey)
        #expect(try paid.lookup(try gtin(ShopCatalog.barcodeSampleGTIN), timeoutMillis: 5_000).count == 1)
        let last = try #require(replicas.requests.last)
        #expect(last.path == "/prod/v1/lookup")
        #expect(last.headers["user_key"] == BarcodeDatabaseReplicas.upcitemdbUserKey)
        #expect(last.headers["key_type"] == "3scale")

        let wrong = UPCitemdb(base: replicas.baseURL, userKey: "not-the-key")
        let refused = #expect(throws: WebAPIFailure.self) { try wrong.lookup(try gtin(ShopCatalog.barcodeSampleGTIN), timeoutMillis: 5_000) }
        #expect(refused?.code == "api_unauthorized")
        #expect(refused?.retryable == false)
        #expect(refused?.message.contains("not-the-key") == false)
    }

    @Test func upcitemdbRateLimitIsRetryableWithItsResetAndNotCalledAgainBeforeIt() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        replicas.setMode(.rateLimited, for: BarcodeDatabaseReplicas.upcitemdb)
        let database = UPCitemdb(base: replicas.baseURL, userKey: nil)
        let limited = #expect(throws: WebAPIFailure.self) { try database.lookup(try gtin(ShopCatalog.barcodeSampleGTIN), timeoutMillis: 5_000) }
        #expect(limited?.code == "api_rate_limited")
        #expect(limited?.retryable == true)
        // X-RateLimit-Reset is an epoch second an hour ahead.
        #expect((3_500...3_600).contains(limited?.retryAfterSeconds ?? 0), "\(String(describing: limited))")
        #expect(replicas.requests.count == 1)
        replicas.setMode(.normal, for: BarcodeDatabaseReplicas.upcitemdb)
        let again = #expect(throws: WebAPIFailure.self) { try database.lookup(try gtin(ShopCatalog.barcodeSampleGTIN), timeoutMillis: 5_000) }
        #expect(again?.code == "api_rate_limited")
        #expect(replicas.requests.count == 1, "no request inside the wait the service asked for")
    }

    @Test func openFoodFactsAndOpenLibraryRateLimitsAndRefusals() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        replicas.setMode(.rateLimited, for: BarcodeDatabaseReplicas.openFoodFacts)
        let off = OpenFoodFacts(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent)
        let limited = #expect(throws: WebAPIFailure.self) { try off.lookup(try gtin(BarcodeDatabaseTests.food.gtin), timeoutMillis: 5_000) }
        #expect(limited?.code == "api_rate_limited")
        #expect(limited?.retryAfterSeconds == 60)

        // A new client: this one keeps away for the minute the 429 asked for.
        replicas.setMode(.unauthorized, for: BarcodeDatabaseReplicas.openFoodFacts)
        let fresh = OpenFoodFacts(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent)
        let forbidden = #expect(throws: WebAPIFailure.self) { try fresh.lookup(try gtin(BarcodeDatabaseTests.food.gtin), timeoutMillis: 5_000) }
        #expect(forbidden?.code == "api_unauthorized")

        let library = OpenLibrary(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent)
        replicas.setMode(.unauthorized, for: BarcodeDatabaseReplicas.openLibrary)
        let refused = #expect(throws: WebAPIFailure.self) { try library.lookup(try gtin(BarcodeDatabaseTests.book.isbn), timeoutMillis: 5_000) }
        #expect(refused?.code == "api_unauthorized")
        replicas.setMode(.rateLimited, for: BarcodeDatabaseReplicas.openLibrary)
        let slow = #expect(throws: WebAPIFailure.self) { try library.lookup(try gtin(BarcodeDatabaseTests.book.isbn), timeoutMillis: 5_000) }
        #expect(slow?.code == "api_rate_limited")
        #expect(slow?.retryAfterSeconds == 30)
    }

    @Test func openLibraryNamesABookByItsISBN() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let library = OpenLibrary(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent)
        let isbn = try gtin(BarcodeDatabaseTests.book.isbn)
        #expect(library.covers(isbn))
        #expect(!library.covers(try gtin(ShopCatalog.barcodeSampleGTIN)))
        let found = try library.lookup(isbn, timeoutMillis: 5_000)
        #expect(found.first?.name == "Keeping Warm: A Field Guide to Vacuum Flasks")
        #expect(found.first?.brand == "Ingrid Holm")
        #expect(found.first?.category == "book")
        #expect(found.first?.image == "https://covers.openlibrary.org/b/id/1-L.jpg")
        let request = try #require(replicas.requests.last)
        #expect(request.parameter("bibkeys") == "ISBN:" + BarcodeDatabaseTests.book.isbn)
        #expect(request.parameter("jscmd") == "data")
        #expect(try library.lookup(try gtin("9791234567896"), timeoutMillis: 5_000) == [])
    }

    @Test func theLocalPaceRefusesBeyondItsLimitWithoutCalling() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let call = WebAPICall(provider: "openfoodfacts", http: HTTPClient(), pace: RequestPace(perMinute: 2))
        let url = replicas.baseURL + "/api/v2/product/\(BarcodeDatabaseTests.food.gtin).json"
        for _ in 0..<2 { #expect(try call.get(url, shownURL: url, headers: [], timeoutMillis: 5_000) { _ in nil }.status == 200) }
        let refused = #expect(throws: WebAPIFailure.self) { try call.get(url, shownURL: url, headers: [], timeoutMillis: 5_000) { _ in nil } }
        #expect(refused?.code == "api_rate_limited")
        #expect((1...60).contains(refused?.retryAfterSeconds ?? 0))
        #expect(replicas.requests.count == 2, "the third request is refused here, not sent")
        #expect(OpenFoodFacts.pace.perMinute == 100)
    }

    @Test func noNetworkIsNetworkUnavailable() throws {
        let port = try FreePort.closed()
        let database = OpenFoodFacts(base: "http://127.0.0.1:\(port)", userAgent: BarcodeDatabaseTests.userAgent)
        let failure = #expect(throws: WebAPIFailure.self) { try database.lookup(try gtin(BarcodeDatabaseTests.food.gtin), timeoutMillis: 3_000) }
        #expect(failure?.code == "network_unavailable")
        #expect(failure?.retryable == true)
    }

    @Test func lookupAsksInOrderCachesAnswersAndNotFailures() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let lookup = BarcodeLookup(databases: [OpenFoodFacts(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent),
                                               UPCitemdb(base: replicas.baseURL, userKey: nil),
                                               OpenLibrary(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent)])
        let flask = try gtin(ShopCatalog.barcodeSampleGTIN)
        let first = lookup.lookup(flask, timeoutMillis: 5_000)
        #expect(first.products.map(\.source) == ["upcitemdb"])
        #expect(first.failures.isEmpty)
        // Open Food Facts first, then UPCitemdb; Open Library is not asked for a non-ISBN.
        #expect(replicas.requests.map(\.provider) == ["openfoodfacts", "upcitemdb"])
        _ = lookup.lookup(flask, timeoutMillis: 5_000)
        #expect(replicas.requests.count == 2, "the second look-up of the same GTIN is answered from the cache")

        replicas.setMode(.unauthorized, for: BarcodeDatabaseReplicas.openFoodFacts)
        let food = try gtin(BarcodeDatabaseTests.food.gtin)
        let failed = lookup.lookup(food, timeoutMillis: 5_000)
        #expect(failed.failures.map(\.code) == ["api_unauthorized"])
        replicas.setMode(.normal, for: BarcodeDatabaseReplicas.openFoodFacts)
        let retried = lookup.lookup(food, timeoutMillis: 5_000)
        #expect(retried.products.map(\.source) == ["openfoodfacts"], "a failed answer is not cached")
    }

    @Test func aDatabaseNamesTheGTINBeforeAnySearchAndAFailingOneIsKept() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        replicas.setMode(.unauthorized, for: BarcodeDatabaseReplicas.openFoodFacts)
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let barcode = try #require(Barcode(symbology: .ean13, value: ShopCatalog.barcodeSampleGTIN))
        let web = PhotoEvidenceTests.RecordingSearch([])
        let lookup = BarcodeLookup(databases: [OpenFoodFacts(base: replicas.baseURL, userAgent: BarcodeDatabaseTests.userAgent),
                                               UPCitemdb(base: replicas.baseURL, userKey: nil)])
        let evidence = PhotoEvidence(webSearch: web, marketplaceSearches: [], pages: nil, barcodeLookup: lookup)
        let decision = evidence.decide(current: nil, evidence: [], reading: .init(barcodes: [barcode]), timeoutMillis: 10_000)
        #expect(decision.identity?.producer == entry.brand)
        #expect(decision.identity?.model == entry.name)
        #expect(decision.evidence == ["barcode"])
        #expect(decision.source == "upcitemdb")
        #expect(decision.failures.map(\.provider) == ["openfoodfacts"])
        #expect(web.queries.withLock { $0 }.isEmpty, "no web search when a database names the number")
    }

    @Test func theCacheIsBounded() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        var limits = BarcodeLookup.Limits()
        limits.cacheEntries = 1
        let lookup = BarcodeLookup(databases: [UPCitemdb(base: replicas.baseURL, userKey: nil)], limits: limits)
        let flask = try gtin(ShopCatalog.barcodeSampleGTIN)
        _ = lookup.lookup(flask, timeoutMillis: 5_000)
        _ = lookup.lookup(BarcodeDatabaseTests.unknown, timeoutMillis: 5_000)  // pushes the flask out
        _ = lookup.lookup(flask, timeoutMillis: 5_000)
        #expect(replicas.requests.count == 3)
    }
}

/// A port nothing listens on: bound, then closed.
enum FreePort {
    static func closed() throws -> Int {
        let server = try BarcodeDatabaseReplicas()
        let port = server.replicas.server.port
        server.shutdown()
        return port
    }
}
