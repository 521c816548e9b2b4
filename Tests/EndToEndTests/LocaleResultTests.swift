import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

/// One result per image and locale: the same demo photo asked for from the US and from Germany
/// gets a USD and a EUR valuation, each its own result, and asking again replays each one.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct LocaleResultTests {
    @Test func theSamePhotoFromTheUSAndFromGermanyGetsUSDAndEUR() throws {
        let pipeline = try DemoPipeline()
        defer { pipeline.stop() }
        let us = try pipeline.classify("desk-lamp", query: "country=US")
        let de = try pipeline.classify("desk-lamp", query: "country=DE")
        #expect(us["done"]?.first?["status"] == "complete")
        #expect(de["done"]?.first?["status"] == "complete")
        #expect(us["estimated-price"]?.first?["currency"] == "USD", "\(String(describing: us["estimated-price"]))")
        #expect(de["estimated-price"]?.first?["currency"] == "EUR", "\(String(describing: de["estimated-price"]))")
        // Each says which locale it is for; the image's own digest is the same.
        let usInfo = us["image-info"]?.first, deInfo = de["image-info"]?.first
        #expect(usInfo?["country"] == "US" && deInfo?["country"] == "DE")
        #expect(usInfo?["sha256"] != nil && usInfo?["sha256"] == deInfo?["sha256"])
        // Asked again from the US: the US result, not the German one.
        let again = try pipeline.classify("desk-lamp", query: "country=US")
        #expect(again["estimated-price"]?.first == us["estimated-price"]?.first)
        #expect(again["image-info"]?.first?["country"] == "US")
    }
}
