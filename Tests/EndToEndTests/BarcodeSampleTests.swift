import DemoWorld
import Foundation
import JSON
@testable import LensGPT
import PhotoReading
import TestSupport
import Testing

/// Reading the photo, end to end on the demo world: the sample photo with a barcode is identified by its
/// GTIN with the Lens replica answering only with its bot check and no LLM, and the maker page,
/// retail price, offers and estimate follow from that identity.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct BarcodeSampleTests {
    @Test func samplePhotoCarriesARealEAN13() throws {
        let photo = try #require(LensCatalog.product("vacuum-flask")?.photo)
        let found = try BarcodeReader().read(photo)
        #expect(found.map(\.value) == [ShopCatalog.barcodeSampleGTIN])
        #expect(found.first?.symbology == .ean13)
    }

    @Test func barcodeIdentifiesWithLensBlockedAndNoLLM() throws {
        let pipeline = try DemoPipeline(lens: .botCheck)
        defer { pipeline.stop() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let events = try pipeline.classify("vacuum-flask")

        // The photo is read beside the visual search: both start as soon as image-info is done.
        let progress = (events["progress"] ?? []).map { "\($0["stage"]?.stringValue ?? "") \($0["state"]?.stringValue ?? "")" }
        let barcodesStarted = try #require(progress.firstIndex(of: "barcodes started"), "\(progress)")
        let textStarted = try #require(progress.firstIndex(of: "photo-text started"))
        let lensEnded = try #require(progress.firstIndex(of: "lens-matches failed"))
        #expect(barcodesStarted < lensEnded && textStarted < lensEnded)

        let errors = events["stage-error"] ?? []
        #expect(errors.contains { $0["stage"] == "lens-matches" }, "the Lens replica should have blocked: \(errors)")
        #expect(events["lens-matches"] == nil)
        #expect(events["barcodes"]?.first?[0]?["gtin"]?.stringValue == "0" + ShopCatalog.barcodeSampleGTIN)

        let identity = events["model-producer"]?.first
        #expect(identity?["producer"]?.stringValue == entry.brand, "\(String(describing: identity)) \(errors)")
        #expect(identity?["model"]?.stringValue == entry.name)
        #expect(identity?["evidence"]?.arrayValue?.contains("barcode") == true)
        #expect(identity?["gtin"]?.stringValue == "0" + ShopCatalog.barcodeSampleGTIN)
        #expect(identity?["method"] == "heuristic")

        #expect(events["producer-url"]?.first?["link"]?.stringValue == entry.maker.url)
        #expect(events["retail-price-details"]?.first?["price"]?.stringValue == entry.maker.facts.price)
        // Without Lens matches only the marketplace searches find listings: the active search's real
        // offers and the sold search's sales, nothing they must drop.
        let offers = Set(events["second-hand-offers"]?.first?.arrayValue?.compactMap { $0["link"]?.stringValue } ?? [])
        #expect(offers == Set(entry.listings.filter { ($0.kind == .offer && $0.inSearch) || $0.inSoldSearch }.map(\.url)))
        let estimate = events["estimated-price"]?.first
        #expect(estimate?["price"]?.stringValue.flatMap(Double.init) != nil, "\(String(describing: estimate))")
        // Lens failed, so the run is partial; every stage after identification finished.
        #expect(events["done"]?.first?["status"] == "partial")
        #expect(!errors.contains { ["model-producer", "producer-url", "retail-price-details", "second-hand-offers",
                                    "estimated-price"].contains($0["stage"]?.stringValue ?? "") })
    }
}

/// `serve --demo --demo-apis` with Lens blocked: the barcode sample is named by a barcode
/// database and its maker page found through a web-search API, not the result pages.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct BarcodeSampleAPITests {
    @Test func barcodeDatabaseAndWebSearchAPIWithLensBlocked() throws {
        let pipeline = try DemoPipeline(lens: .botCheck, demoAPIs: true)
        defer { pipeline.stop() }
        let databases = try #require(pipeline.barcodeDatabases), webSearchAPIs = try #require(pipeline.webSearchAPIs)
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let events = try pipeline.classify("vacuum-flask")
        let identity = events["model-producer"]?.first
        #expect(identity?["producer"]?.stringValue == entry.brand, "\(String(describing: identity)) \(events["stage-error"] ?? [])")
        #expect(identity?["model"]?.stringValue == entry.name)
        #expect(identity?["evidence"]?.arrayValue?.first == "barcode")
        #expect(identity?["source"] == "upcitemdb")
        #expect(events["producer-url"]?.first?["link"]?.stringValue == entry.maker.url)
        #expect(events["retail-price-details"]?.first?["price"]?.stringValue == entry.maker.facts.price)
        #expect(events["estimated-price"]?.first?["price"] != nil)
        // The databases were asked, then the web-search API for the maker page (it answered first).
        #expect(databases.requests.map(\.provider).starts(with: ["openfoodfacts", "upcitemdb"]))
        #expect(webSearchAPIs.requests.first?.provider == "brave-api")
        #expect(webSearchAPIs.requests.first?.parameter("q")?.contains(entry.brand) == true)
    }
}
