import DemoWorld
@testable import LensGPT
import Foundation
import JSON
import TestSupport
import Testing

/// `serve --demo --demo-apis --demo-faults ebay-blocked,lens-blocked`: Google Lens and eBay's
/// search pages show only their bot checks, and eBay's API answers in their place: the barcode
/// sample gets all five results and every sample gets offers, each from `ebay-api`.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct EbayAPIBlockedPagesTests {
    @Test func theAPIAnswersWhereThePagesAreBlocked() throws {
        let pipeline = try DemoPipeline(faults: [.lensBlocked, .ebayBlocked], apis: true)
        defer { pipeline.stop() }
        for product in LensCatalog.products {
            let entry = try #require(ShopCatalog.entry(product.id))
            let events = try pipeline.classify(product.id)
            let errors = events["stage-error"] ?? []
            #expect(errors.contains { $0["stage"] == "lens-matches" && $0["provider"] == "google-lens" && $0["code"] == "lens_blocked" },
                    "\(product.id): Google Lens should have shown its bot check: \(errors)")

            // eBay's search pages are blocked: the sold-listings page says so; the active one is not even
            // asked, since the API answered for it.
            let marketErrors = events["marketplace-error"] ?? []
            #expect(marketErrors.contains { $0["marketplace"] == "ebay-sold" && $0["code"] == "marketplace_blocked" }, "\(product.id): \(marketErrors)")
            #expect(!marketErrors.contains { $0["marketplace"] == "ebay" || $0["marketplace"] == "ebay-api" }, "\(product.id): \(marketErrors)")

            let identity = events["model-producer"]?.first
            #expect(identity?["producer"]?.stringValue == entry.brand, "\(product.id): \(String(describing: identity)) \(errors)")
            let offers = events["second-hand-offers"]?.first?.arrayValue ?? []
            let expected = entry.listings.filter { $0.kind == .offer && $0.inSearch }
            #expect(Set(offers.compactMap { $0["link"]?.stringValue }) == Set(expected.map(\.url)), "\(product.id): \(offers)")
            #expect(!offers.isEmpty && offers.allSatisfy { $0["provider"] == "ebay-api" }, "\(product.id): \(offers)")

            if entry.maker.facts.gtin.hasSuffix(ShopCatalog.barcodeSampleGTIN) {
                for name in ["model-producer", "producer-url", "retail-price-details", "second-hand-offers", "estimated-price"] {
                    #expect(events[name]?.count == 1, "barcode sample: missing \(name): \(errors)")
                }
                #expect(events["producer-url"]?.first?["link"]?.stringValue == entry.maker.url)
                #expect(events["estimated-price"]?.first?["price"]?.stringValue.flatMap(Double.init) != nil)
            }
        }
        // One application token served every stage and every run.
        #expect(pipeline.world.ebayAPI.tokensIssued == 1)
        let calls = Set(pipeline.world.ebayAPI.requests.map(\.call))
        #expect(calls == ["token", "search", "search_by_image"], "\(calls)")
    }

    /// With no browser at all, eBay's API still names the products (search by image) and brings
    /// their offers: it needs no results page.
    @Test func withoutABrowserTheAPIStillBringsOffers() throws {
        let pipeline = try DemoPipeline(apis: true, arguments: ["--no-browser"])
        defer { pipeline.stop() }
        #expect(!pipeline.searchesLens)
        for product in LensCatalog.products.prefix(2) {
            let entry = try #require(ShopCatalog.entry(product.id))
            let events = try pipeline.classify(product.id)
            #expect(events["lens-matches"]?.first?[0]?["provider"] == "ebay-image", "\(product.id)")
            #expect(events["model-producer"]?.first?["producer"]?.stringValue == entry.brand, "\(product.id)")
            let offers = events["second-hand-offers"]?.first?.arrayValue ?? []
            #expect(Set(offers.compactMap { $0["link"]?.stringValue }) == Set(entry.listings.filter { $0.kind == .offer && $0.inSearch }.map(\.url)))
            #expect(!offers.isEmpty && offers.allSatisfy { $0["provider"] == "ebay-api" }, "\(product.id): \(offers)")
        }
    }
}
