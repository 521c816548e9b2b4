import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

/// Identification when visual search gives nothing: Lens answers with its bot check, and the
/// demo's vision model names the product from the photo alone (`llm-photo`) so the rest follows;
/// with no vision model either, lens-gpt says it could not identify the product and stops there.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "SKIPPED: chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct PhotoOnlyIdentificationTests {
    @Test func lensBlockedTheVisionModelNamesEverySampleAndTheRestFollows() throws {
        let llm = try DemoLLMServer()
        defer { llm.shutdown() }
        let pipeline = try DemoPipeline(llmBaseURL: llm.baseURL, lens: .botCheck)
        defer { pipeline.stop() }
        for entry in ShopCatalog.entries {
            let events = try pipeline.classify(entry.productID)
            #expect(events["stage-error"]?.contains { $0["stage"] == "lens-matches" && $0["code"] == "lens_blocked" } == true,
                    "\(entry.productID): \(String(describing: events["stage-error"]))")
            let identity = try #require(events["model-producer"]?.first, "\(entry.productID)")
            if entry.maker.facts.gtin == ShopCatalog.barcodeSampleGTIN {
                // The photo's own barcode, which a page confirms, is stronger evidence than the vision model.
                #expect(identity["evidence"]?.arrayValue?.first == "barcode", "\(entry.productID): \(identity)")
            } else {
                #expect(identity["method"] == "llm-photo", "\(entry.productID): \(identity)")
                #expect(identity["evidence"] == ["llm-photo"], "\(entry.productID): \(identity)")
            }
            #expect(identity["producer"]?.stringValue == entry.brand)
            #expect(identity["model"]?.stringValue == entry.name)
            for name in FiveResultsTests.fiveResults {
                #expect(events[name]?.count == 1, "\(entry.productID): missing \(name)")
            }
            #expect(events["producer-url"]?.first?["link"]?.stringValue == entry.maker.url, "\(entry.productID)")
            #expect(events["retail-price-details"]?.first?["price"]?.stringValue == entry.maker.facts.price, "\(entry.productID)")
            #expect(events["estimated-price"]?.first?["price"]?.stringValue != nil, "\(entry.productID)")
            // Lens failed, so the run is partial, but every one of the five results arrived.
            #expect(events["done"]?.first?["status"] == "partial")
        }
        #expect(llm.requestCount >= ShopCatalog.entries.count)
    }

    @Test func nothingReachableGivesAClearUnidentifiedAndAPartialRun() throws {
        let pipeline = try DemoPipeline(lens: .botCheck)
        defer { pipeline.stop() }
        let events = try pipeline.classify("desk-lamp")
        let identity = try #require(events["model-producer"]?.first)
        #expect(identity["producer"] == .null)
        #expect(identity["model"] == .null)
        let skipped = (events["progress"] ?? []).filter { $0["state"] == "skipped" }
        #expect(Set(skipped.compactMap { $0["stage"]?.stringValue })
            == ["producer-url", "retail-price-details", "second-hand-offers", "estimated-price"])
        #expect(skipped.allSatisfy { $0["code"] == "unidentified" })
        let done = try #require(events["done"]?.first)
        #expect(done["status"] == "partial")
        #expect(done["stages"]?["estimated-price"]?["code"] == "unidentified")
    }
}
