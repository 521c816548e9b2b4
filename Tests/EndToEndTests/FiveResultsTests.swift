import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

/// The five results on the demo world: every catalog photo gets all five results with the
/// values the catalog says, with no LLM and with the LLM test server; faults behave as documented.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct FiveResultsTests {
    static let fiveResults = ["model-producer", "producer-url", "retail-price-details", "second-hand-offers", "estimated-price"]

    /// The checks every run must pass, whatever method produced the values.
    func expectFiveResults(_ events: [String: [JSONValue]], _ entry: ShopEntry, sourceLocation: SourceLocation = #_sourceLocation) {
        for name in FiveResultsTests.fiveResults {
            #expect(events[name]?.count == 1, "missing \(name)", sourceLocation: sourceLocation)
        }
        #expect(events["done"]?.first?["status"] == "complete", "\(String(describing: events["stage-error"]))", sourceLocation: sourceLocation)
        let identity = events["model-producer"]?.first
        #expect(identity?["producer"]?.stringValue == entry.brand, sourceLocation: sourceLocation)
        #expect(identity?["model"]?.stringValue?.lowercased() == entry.name.lowercased(), sourceLocation: sourceLocation)
        #expect(events["producer-url"]?.first?["link"]?.stringValue == entry.maker.url, sourceLocation: sourceLocation)
        let retail = events["retail-price-details"]?.first
        #expect(retail?["producer_url"]?.stringValue == entry.maker.url, sourceLocation: sourceLocation)
        #expect(retail?["price"]?.stringValue == entry.maker.facts.price, sourceLocation: sourceLocation)
        #expect(retail?["currency"]?.stringValue == entry.maker.facts.currency, sourceLocation: sourceLocation)
        let offers = events["second-hand-offers"]?.first?.arrayValue ?? []
        let expected = entry.expectedOffers(withSearch: true)
        #expect(Set(offers.compactMap { $0["link"]?.stringValue }) == Set(expected.map(\.url)), sourceLocation: sourceLocation)
        #expect(Set(offers.compactMap { $0["condition"]?.stringValue }) == Set(expected.map(\.condition)), sourceLocation: sourceLocation)
        let estimate = events["estimated-price"]?.first
        #expect(estimate?["basis"] == "comparables", sourceLocation: sourceLocation)
        #expect(estimate?["sample_size"]?.intValue == expected.count, sourceLocation: sourceLocation)
        if let price = estimate?["price"]?.stringValue.flatMap(Double.init),
           let low = estimate?["min_range"]?.stringValue.flatMap(Double.init),
           let high = estimate?["max_range"]?.stringValue.flatMap(Double.init)
        {
            #expect(low <= price && price <= high, sourceLocation: sourceLocation)
        } else {
            Issue.record("estimate without numbers: \(String(describing: estimate))", sourceLocation: sourceLocation)
        }
    }

    /// Retail and offers run side by side: each starts before the other finishes.
    func expectOverlap(_ events: [String: [JSONValue]], sourceLocation: SourceLocation = #_sourceLocation) {
        func time(_ stage: String, _ state: String) -> Int? {
            events["progress"]?.first { $0["stage"]?.stringValue == stage && $0["state"]?.stringValue == state }?["elapsed_ms"]?.intValue
        }
        guard let retailStart = time("retail-price-details", "started"), let retailEnd = time("retail-price-details", "finished"),
              let offersStart = time("second-hand-offers", "started"), let offersEnd = time("second-hand-offers", "finished")
        else {
            Issue.record("progress events missing", sourceLocation: sourceLocation)
            return
        }
        #expect(retailStart <= offersEnd && offersStart <= retailEnd, sourceLocation: sourceLocation)
    }

    @Test func everyCatalogPhotoWithoutAnLLM() throws {
        let pipeline = try DemoPipeline()
        defer { pipeline.stop() }
        for entry in ShopCatalog.entries {
            let events = try pipeline.classify(entry.productID)
            expectFiveResults(events, entry)
            // When the maker page is among the Lens matches, retail details start at once and run
            // beside the offers (a web search first would make the wait its own).
            if entry.maker.inLensMatches { expectOverlap(events) }
            #expect(events["model-producer"]?.first?["method"] == "heuristic")
            let retail = events["retail-price-details"]?.first
            #expect(retail?["material"]?.stringValue == entry.maker.facts.material, "\(entry.productID)")
            #expect(retail?["method"]?.stringValue == (entry.maker.style == .none ? "visible" : "structured-data"), "\(entry.productID)")
        }
    }

    @Test func withTheLLMTestServer() throws {
        let llm = try LLMTestServer()
        defer { llm.shutdown() }
        let pipeline = try DemoPipeline(llm: llm)
        defer { pipeline.stop() }
        for id in ["desk-lamp", "canvas-backpack"] {
            let entry = try #require(ShopCatalog.entry(id))
            let events = try pipeline.classify(id)
            expectFiveResults(events, entry)
            #expect(events["model-producer"]?.first?["method"] == "llm")
            #expect(events["model-producer"]?.first?["confidence"]?.doubleValue == 0.9)
            if entry.maker.style == .none {
                // No structured data: the LLM reads the visible text.
                #expect(events["retail-price-details"]?.first?["method"] == "llm")
            }
        }
        #expect(llm.rejected.isEmpty, "\(llm.rejected)")
        #expect(llm.requestCount >= 3)
    }

    @Test func llmFaultsFallBackToTheHeuristic() throws {
        let llm = try LLMTestServer()
        defer { llm.shutdown() }
        let pipeline = try DemoPipeline(llm: llm)
        defer { pipeline.stop() }
        let entry = try #require(ShopCatalog.entry("trail-shoe"))
        // 500 on every attempt: an error event, then the heuristic answer.
        llm.setFault(.serverError(times: 3))
        var events = try pipeline.classify("trail-shoe")
        #expect(events["stage-error"]?.first?["code"] == "llm_failed")
        #expect(events["model-producer"]?.first?["method"] == "heuristic")
        expectFiveResults(events, entry)
        // Invalid JSON: the same.
        llm.setFault(.invalidJSON)
        events = try pipeline.classify("ceramic-mug")
        #expect(events["model-producer"]?.first?["method"] == "heuristic")
        #expect(events["model-producer"]?.first?["producer"] == "Fjordware")
    }

    @Test func aHangingMarketplacePageTimesOutWhileTheRestFinishes() throws {
        let pipeline = try DemoPipeline(hangingListing: true)
        defer { pipeline.stop() }
        let entry = try #require(ShopCatalog.entry("desk-lamp"))
        let started = Date()
        let events = try pipeline.classify("desk-lamp")
        expectFiveResults(events, entry)
        let offers = events["second-hand-offers"]?.first?.arrayValue ?? []
        #expect(!offers.contains { $0["link"]?.stringValue == ShopCatalog.hangingListingURL })
        #expect(Date().timeIntervalSince(started) < 30)
    }
}
