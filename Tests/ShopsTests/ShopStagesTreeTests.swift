import Dispatch
import DemoWorld
import JSON
import Pipeline
import Synchronization
import TestSupport
import Testing
@testable import Producers

/// The three shopping stages in a real pipeline run (fixed Lens and identification stages in
/// front): their events carry PROTOCOL.md's payloads, and retail details and offers run at
/// the same time.
@Suite struct ShopStagesTreeTests {
    final class MemoryStore: ResultStore {
        func load(id: String) throws -> (status: ResultStatus, events: [ResultEvent])? { nil }
        func markRunning(id: String) throws {}
        func save(id: String, status: ResultStatus, events: [ResultEvent]) throws {}
        func removeInterrupted() throws -> Int { 0 }
        func purge(olderThanSeconds seconds: Int64) throws -> Int { 0 }
        func check() throws {}
    }

    /// A gate that opens once and lets every waiter, present and future, through.
    final class Latch: Sendable {
        private let group = DispatchGroup()
        private let isOpen = Atomic(false)
        init() { group.enter() }
        func open() { if isOpen.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged { group.leave() } }
        func wait(seconds: Int) -> Bool { group.wait(timeout: .now() + .seconds(seconds)) == .success }
    }

    /// The maker-page fetch and the listing fetches each wait for the other side to have begun:
    /// both get through only when the two stages run side by side (run one after the other,
    /// the first side waits out its time and records no overlap). The wait is long because a
    /// loaded test machine may be slow to give the second stage a thread.
    final class RendezvousSource: PageSource {
        let inner: ProxyPageSource
        let makerURL: String
        let makerStarted = Latch()
        let listingStarted = Latch()
        let overlapped = Atomic(false)

        init(inner: ProxyPageSource, makerURL: String) {
            self.inner = inner
            self.makerURL = makerURL
        }

        func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) {
            try fetchPage(url, timeoutMillis: 5_000)
        }

        func fetchPage(_ url: String, timeoutMillis: Int) throws -> (url: String, status: Int, body: [UInt8]) {
            if url == makerURL {
                makerStarted.open()
                if listingStarted.wait(seconds: 30) { overlapped.store(true, ordering: .relaxed) }
            } else {
                listingStarted.open()
                _ = makerStarted.wait(seconds: 30)
            }
            return try inner.fetchPage(url, timeoutMillis: timeoutMillis)
        }
    }

    @Test func producerURLRetailAndOffersStreamTheirPayloadsSideBySide() throws {
        let entry = try #require(ShopCatalog.entry("desk-lamp"))
        let source = RendezvousSource(inner: try ShopWorld.pages(), makerURL: entry.maker.url)
        let graph = try PipelineGraph([
            .init(FixedStage(LensMatchesProducer.key, try ShopWorld.lensMatches(entry.productID))),
            .init(FixedStage(IdentificationProducer.key, ShopWorld.identity(entry)), dependsOn: ["lens-matches"]),
            .init(ProducerURLProducer(webSearch: nil, chat: nil), dependsOn: ["lens-matches", "model-producer"], timeoutMillis: 10_000),
            .init(RetailDetailsProducer(pages: source, renderer: nil, chat: nil), dependsOn: ["producer-url"], timeoutMillis: 45_000),
            .init(SecondHandOffersProducer(pages: source, searches: []), dependsOn: ["lens-matches", "model-producer"],
                  timeoutMillis: 45_000),
        ])
        let hub = ResultHub(graph: graph, pool: WorkerPool(workers: 4, queueLimit: 16), store: MemoryStore())
        let stream = try hub.submit(UploadedImage(id: String(repeating: "ab", count: 32), path: "/nonexistent", bytes: 1)).stream
        let finished = DispatchSemaphore(value: 0)
        let token = stream.watch { if stream.isFinished { finished.signal() } }
        defer { stream.unwatch(token) }
        if !stream.isFinished { _ = finished.wait(timeout: .now() + .seconds(60)) }
        #expect(stream.status == .complete)
        let overlapped = source.overlapped.load(ordering: .relaxed)
        #expect(overlapped, "the maker page was fetched while a listing was")

        func payload(_ name: String) throws -> JSONValue {
            let event = try #require(stream.allEvents.first { $0.name == name }, "no \(name) event")
            return try #require(try JSONParser.parse(Array(event.envelope.utf8))["data"])
        }
        let page = try payload("producer-url")
        #expect(page["link"]?.stringValue == entry.maker.url)
        #expect(page["domain"]?.stringValue == entry.maker.domain)
        let retail = try payload("retail-price-details")
        #expect(retail["producer_url"]?.stringValue == entry.maker.url)
        #expect(retail["price"]?.stringValue == entry.maker.facts.price)
        #expect(retail["currency"]?.stringValue == entry.maker.facts.currency)
        #expect(retail["original_name"]?.stringValue == entry.maker.facts.name)
        #expect(retail["material"]?.stringValue == entry.maker.facts.material)
        #expect(retail["specs"]?.arrayValue?.count == entry.maker.facts.specs.count)
        let offers = try #require(try payload("second-hand-offers").arrayValue)
        let expected = entry.expectedOffers(withSearch: false)
        #expect(offers.count == expected.count)
        #expect(Set(offers.compactMap { $0["link"]?.stringValue }.map(OfferMerge.key)) == Set(expected.map { OfferMerge.key($0.url) }))
        #expect(offers.allSatisfy { $0["price"]?.stringValue?.contains(".") == true && $0["condition"]?.stringValue != nil })
    }
}
