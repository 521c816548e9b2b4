import Dispatch
import DemoWorld
import Foundation
import JSON
import Pipeline
import PhotoReading
import Synchronization
import Testing
@testable import Producers

/// The barcode sample photo through the real stage tree with no Lens, no LLM, and every remote
/// page and search blocked: its barcode is read and a barcode database names the product.
@Suite struct BarcodeDatabasePipelineTests {
    /// Every page a bot check.
    struct BlockedPages: PageSource {
        func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) {
            throw StageError(code: "fetch_blocked", message: "blocked: \(url)", retryable: true)
        }
    }

    /// Every results page a bot check, counting the queries.
    final class BlockedSearch: SearchService {
        let name: String
        let queries = Mutex<[String]>([])
        init(_ name: String) { self.name = name }
        func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
            queries.withLock { $0.append(query) }
            throw StageError(code: name == "ebay" ? "marketplace_blocked" : "search_blocked", message: "\(name): bot check", retryable: true)
        }
    }

    func run(_ d: StageDependencies, photo: [UInt8]) throws -> [String: [JSONValue]] {
        let directory = NSTemporaryDirectory() + "lens-gpt-barcode-db-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/photo.png"
        try Data(photo).write(to: URL(fileURLWithPath: path))
        let hub = ResultHub(graph: try StageTree.graph(d), pool: WorkerPool(workers: 4, queueLimit: 16), store: ShopStagesTreeTests.MemoryStore())
        let stream = try hub.submit(UploadedImage(id: String(repeating: "cd", count: 32), path: path, bytes: photo.count)).stream
        let finished = DispatchSemaphore(value: 0)
        let token = stream.watch { if stream.isFinished { finished.signal() } }
        defer { stream.unwatch(token) }
        if !stream.isFinished { _ = finished.wait(timeout: .now() + .seconds(90)) }
        #expect(stream.isFinished)
        var events: [String: [JSONValue]] = [:]
        for event in stream.allEvents {
            events[event.name, default: []].append(try JSONParser.parse(Array(event.envelope.utf8))["data"] ?? .null)
        }
        return events
    }

    @Test func theSamplePhotoIsIdentifiedThroughADatabaseWithEveryPageBlocked() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let photo = try #require(LensCatalog.product("vacuum-flask")?.photo)
        let web = BlockedSearch("duckduckgo")
        let market = BlockedSearch("ebay")
        var d = StageDependencies()
        d.stageTimeoutMillis = 30_000
        d.photoReading = PhotoReadingLimits()
        d.pages = BlockedPages()
        d.webSearch = web
        d.marketplaceSearches = [market]
        d.barcodeLookup = BarcodeLookup(databases: [
            OpenFoodFacts(base: replicas.baseURL, userAgent: "lens-gpt/test"), UPCitemdb(base: replicas.baseURL, userKey: nil),
            OpenLibrary(base: replicas.baseURL, userAgent: "lens-gpt/test"),
        ])
        let events = try run(d, photo: photo)
        let identity = try #require(events["model-producer"]?.first, "\(events["stage-error"] ?? [])")
        #expect(identity["producer"]?.stringValue == entry.brand)
        #expect(identity["model"]?.stringValue == entry.name)
        #expect(identity["evidence"]?.arrayValue?.first == "barcode")
        #expect(identity["source"] == "upcitemdb")
        #expect(identity["gtin"]?.stringValue == "0" + ShopCatalog.barcodeSampleGTIN)
        // The database answered: the number was never searched for on the blocked pages.
        #expect(web.queries.withLock { $0 }.contains(ShopCatalog.barcodeSampleGTIN) == false)
        #expect(market.queries.withLock { $0 }.contains(ShopCatalog.barcodeSampleGTIN) == false)
        #expect(replicas.requests.map(\.provider) == ["openfoodfacts", "upcitemdb"])
    }

    @Test func aDatabaseThatCannotAnswerIsReportedAndTheWebSearchIsAsked() throws {
        let replicas = try BarcodeDatabaseReplicas()
        defer { replicas.shutdown() }
        replicas.setMode(.rateLimited, for: BarcodeDatabaseReplicas.upcitemdb)
        let photo = try #require(LensCatalog.product("vacuum-flask")?.photo)
        let web = BlockedSearch("duckduckgo")
        var d = StageDependencies()
        d.stageTimeoutMillis = 30_000
        d.photoReading = PhotoReadingLimits()
        d.pages = BlockedPages()
        d.webSearch = web
        d.barcodeLookup = BarcodeLookup(databases: [UPCitemdb(base: replicas.baseURL, userKey: nil)])
        let events = try run(d, photo: photo)
        let errors = events["stage-error"] ?? []
        let limited = try #require(errors.first { $0["stage"] == "model-producer" && $0["code"] == "api_rate_limited" }, "\(errors)")
        #expect(limited["provider"] == "upcitemdb")
        #expect(limited["retryable"] == true)
        #expect((limited["retry_after_seconds"]?.intValue ?? 0) > 0)
        #expect(limited["fallback"] == "web-search")
        #expect(web.queries.withLock { $0 } .contains(ShopCatalog.barcodeSampleGTIN))
        #expect(events["model-producer"]?.first?["producer"] == .null)
    }
}
