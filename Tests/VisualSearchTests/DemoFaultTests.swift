import DemoWorld
import Foundation
import JSON
import TestSupport
import Testing

/// Surviving Google on the demo world with real Chromium: Lens blocked → the hosted API answers and
/// all five results follow; everything down → a clear failure and `done` `partial`; the
/// canary flips `/readyz`; the locale reaches the Lens URL, the hosted API and the estimate.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
struct DemoFaultTests {
    static let fiveResults = ["model-producer", "producer-url", "retail-price-details", "second-hand-offers", "estimated-price"]

    @Test func lensBlockedTheHostedAPIAnswersForEverySamplePhoto() throws {
        let demo = try DemoPipeline.visual(faults: [.lensBlocked])
        defer { demo.stop() }
        for entry in ShopCatalog.entries {
            let events = try demo.classify(entry.productID)
            for name in DemoFaultTests.fiveResults { #expect(events[name]?.count == 1, "\(entry.productID): no \(name)") }
            #expect(events["done"]?.first?["status"] == "complete", "\(entry.productID): \(String(describing: events["stage-error"]))")
            let matches = events["lens-matches"]?.first?.arrayValue ?? []
            #expect(!matches.isEmpty && matches.allSatisfy { $0["provider"] == "serpapi" })
            let fallback = events["stage-error"]?.first
            #expect(fallback?["code"] == "lens_blocked")
            #expect(fallback?["provider"] == "google-lens")
            #expect(fallback?["fallback"] == "serpapi")
            #expect(events["model-producer"]?.first?["producer"]?.stringValue == entry.brand)
            #expect(events["exact-matches"]?.first?.arrayValue?.count == 2)
            #expect(events["knowledge"]?.first?[0]?["title"]?.stringValue == "\(entry.brand) \(entry.name)")
        }
        // Every hosted request had the documented shape, and the replica fetched the photo from
        // its signed URL.
        let requests = demo.world.hostedLens.requests
        #expect(requests.count >= ShopCatalog.entries.count)
        for request in requests {
            #expect(request.engine == "google_lens")
            #expect(request.type == "all")
            #expect(request.photoStatus == 200)
            #expect(request.url?.hasPrefix(demo.base + "/photos/") == true)
        }
        // The search is over: its photo URL no longer serves the photo.
        let used = try #require(requests.first?.url)
        #expect(try demo.http.get(used).status == 404)
    }

    @Test func aConsentWallThatStaysFallsBackToo() throws {
        let demo = try DemoPipeline.visual(faults: [.lensConsent])
        defer { demo.stop() }
        let events = try demo.classify("canvas-backpack")
        #expect(events["stage-error"]?.first?["code"] == "lens_consent")
        #expect(events["stage-error"]?.first?["fallback"] == "serpapi")
        #expect(events["lens-matches"]?.first?[0]?["provider"] == "serpapi")
        #expect(events["done"]?.first?["status"] == "complete")
        #expect(demo.world.stats.consentAccepted.load(ordering: .relaxed) > 0)
    }

    @Test func everythingDownIsAClearFailureAndAPartialRun() throws {
        let demo = try DemoPipeline.visual(faults: [.lensBlocked, .lensAPIDown])
        defer { demo.stop() }
        let events = try demo.classify("desk-lamp")
        let errors = events["stage-error"] ?? []
        #expect(errors.map { $0["code"]?.stringValue } == ["lens_blocked", "lens_api_failed"])
        #expect(errors.last?["message"]?.stringValue?.contains("every visual-search provider failed") == true)
        #expect(events["lens-matches"] == nil)
        // Identification had only the photo's barcode and text (none on this photo): it abstains,
        // and what needs an identity is skipped as unidentified.
        let identity = events["model-producer"]?.first
        #expect(identity?["producer"] == .null && identity?["model"] == .null, "\(String(describing: identity))")
        #expect(events["done"]?.first?["status"] == "partial")
        #expect(events["done"]?.first?["stages"]?["producer-url"]?["code"] == "unidentified")
    }

    @Test func theCanaryFlipsReadyzOnALayoutChangeAndBack() throws {
        let interval = 4_000
        let demo = try DemoPipeline.visual(canaryMillis: interval)
        defer { demo.stop() }
        func lensState() throws -> JSONValue? {
            try demo.http.get(demo.base + "/readyz").json()["checks"]?["visual-search"]?["providers"]?["google-lens"]
        }
        func serpapiState() throws -> JSONValue? {
            try demo.http.get(demo.base + "/readyz").json()["checks"]?["visual-search"]?["providers"]?["serpapi"]
        }
        // The first round runs at once: both providers work (one after the other).
        #expect(try waitUntil(timeout: 40, every: 0.05) { try lensState()?["state"] == "ok" && serpapiState()?["state"] == "ok" })
        demo.world.faults.set(.lensLayoutChanged, true)
        let flipped = Date()
        // Within one interval (plus the search itself, which reads the changed page).
        #expect(try waitUntil(timeout: Double(interval) / 1000 + 15, every: 0.05) { try lensState()?["state"] == "degraded" })
        let degraded = try #require(try lensState())
        #expect(degraded["code"] == "lens_no_matches")
        #expect(degraded["last_ok"]?.stringValue != nil)
        print("canary: degraded \(Int(Date().timeIntervalSince(flipped) * 1000)) ms after the layout changed (interval \(interval) ms)")
        let metrics = try demo.http.get(demo.base + "/metrics").text
        #expect(metrics.contains("lens_gpt_canary_searches_total{provider=\"google-lens\",result=\"failed\"}"))
        #expect(metrics.contains("lens_gpt_visual_provider_ok{provider=\"google-lens\"} 0"))
        demo.world.faults.set(.lensLayoutChanged, false)
        let fixed = Date()
        // A failed search replaces its browser session, so the next round starts a new one first.
        let recovered = try waitUntil(timeout: Double(interval) / 1000 + 40, every: 0.05) { try lensState()?["state"] == "ok" }
        let last = try lensState()
        #expect(recovered, "\(String(describing: last))")
        print("canary: ok again \(Int(Date().timeIntervalSince(fixed) * 1000)) ms after the layout was restored")
    }

    @Test func theLocaleReachesLensTheHostedAPIAndTheEstimate() throws {
        let demo = try DemoPipeline.visual(faults: [])
        defer { demo.stop() }
        let before = demo.world.lensStartQueries.count
        let events = try demo.classify("ceramic-mug", fields: [("country", "de"), ("language", "de")])
        #expect(events["done"]?.first?["status"] == "complete")
        #expect(demo.world.lensStartQueries.dropFirst(before).contains { $0.contains("hl=de") && $0.contains("gl=de") },
                "\(demo.world.lensStartQueries)")
        // The estimate is in Germany's currency, converted with the ECB replica's rates, dated
        // the day those fixed rates are for (not the day they were read).
        let estimate = try #require(events["estimated-price"]?.first)
        #expect(estimate["currency"] == "EUR")
        #expect(estimate["exchange_rates"]?["date"]?.stringValue == DemoWorld.demoRatesDate)

        // The hosted provider (Lens blocked now) gets hl/country; here from Accept-Language.
        demo.world.faults.set(.lensBlocked, true)
        _ = try demo.classify("desk-lamp", headers: [("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.5")])
        let request = try #require(demo.world.hostedLens.requests.last)
        #expect(request.hl == "fr-CH")
        #expect(request.country == "ch")
        // A query parameter, and a refusal for nonsense.
        _ = try demo.classify("trail-shoe", query: "country=GB&language=en")
        #expect(demo.world.hostedLens.requests.last?.country == "gb")
        #expect(throws: TestFailure.self) { try demo.classify("trail-shoe", fields: [("country", "Germany")]) }
    }
}
