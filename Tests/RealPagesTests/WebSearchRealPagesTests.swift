import Foundation
import Testing
@testable import Producers

/// Every page of `real-pages/websearch/` through the profile it belongs to, in real headless
/// Chromium: organic links in page order as an independent reading finds them, ads never.
@Suite(.serialized, .enabled(if: RealPages.available, RealPages.missing))
struct WebSearchRealPagesTests {
    static let duckDuckGo = RealPages.files(in: "websearch").filter { $0.contains("-ddghtml-") }
    static let lite = RealPages.files(in: "websearch").filter { $0.contains("/ddglite-") }
    static let bing = RealPages.files(in: "websearch").filter { $0.contains("/bing-") }
    static let anomalies = RealPages.files(in: "websearch").filter { $0.contains("/anomaly-") }

    func check(_ profile: String, _ page: String, organic: [String], ads: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outcome = try RealPages.get().run(profile, on: page)
        let links = outcome.hits.map(\.link)
        #expect(outcome.state == .results, sourceLocation: sourceLocation)
        #expect(organic.count >= 10, "the independent reading found the results: \(organic.count)", sourceLocation: sourceLocation)
        // Tracking parameters are dropped from the profile's links; compare without them.
        #expect(links.map(Self.comparable) == organic.map(Self.comparable), "\(profile) on \(page)", sourceLocation: sourceLocation)
        let adsRead = outcome.hits.filter { hit in hit.link.contains("/y.js") || ads.contains(hit.link) }.count
        #expect(adsRead == 0, sourceLocation: sourceLocation)
        #expect(outcome.hits.allSatisfy { !$0.title.isEmpty }, sourceLocation: sourceLocation)
        report("\(page) | \(profile) | organic \(organic.count) → read \(links.count) in order: \(links.map(Self.comparable) == organic.map(Self.comparable)) | ads \(ads.count), read \(adsRead) | \(outcome.state.rawValue)")
    }

    static func comparable(_ link: String) -> String {
        LensLinks.stripTracking(link).replacingOccurrences(of: "%20", with: "+")
    }

    @Test(arguments: duckDuckGo)
    func duckDuckGoReadsExactlyItsOrganicResults(_ page: String) throws {
        let reading = try IndependentReading(RealPages.bytes(page)).duckDuckGoResults()
        try check("duckduckgo", page, organic: reading.organic, ads: reading.ads)
    }

    @Test(arguments: lite)
    func duckDuckGoLiteReadsItsOrganicResults(_ page: String) throws {
        let reading = try IndependentReading(RealPages.bytes(page)).duckDuckGoLiteResults()
        try check("duckduckgo-lite", page, organic: reading.organic, ads: reading.ads)
    }

    @Test(arguments: bing)
    func bingReadsItsOrganicResults(_ page: String) throws {
        let reading = try IndependentReading(RealPages.bytes(page)).bingResults()
        try check("bing", page, organic: reading.organic, ads: reading.ads)
    }

    @Test func braveReadsItsWebResults() throws {
        let page = "websearch/brave-googleceo-2026-06-06.html"
        let organic = try IndependentReading(RealPages.bytes(page)).braveResults()
        try check("brave", page, organic: organic, ads: [])
    }

    /// DuckDuckGo's anomaly page, from the HTML and the lite endpoint, through both profiles.
    @Test(arguments: anomalies)
    func duckDuckGosBotCheckIsBlocked(_ page: String) throws {
        for profile in ["duckduckgo", "duckduckgo-lite"] {
            let outcome = try RealPages.get().run(profile, on: page)
            #expect(outcome.state == .blocked, "\(profile) on \(page)")
            report("\(page) | \(profile) | organic 0 → read 0 | ads 0, read 0 | \(outcome.state.rawValue)")
        }
    }

    @Test func startpagesBotCheckIsBlocked() throws {
        let page = "websearch/startpage-anubis-2026-08-11.html"
        let outcome = try RealPages.get().run("startpage", on: page)
        #expect(outcome.state == .blocked)
        report("\(page) | startpage (off by default) | organic 0 → read 0 | ads 0, read 0 | \(outcome.state.rawValue)")
    }

    /// Every page of the folder is covered by one of the tests above.
    @Test func everyWebSearchPageHasItsProfile() {
        let covered = Set(Self.duckDuckGo + Self.lite + Self.bing + Self.anomalies
            + ["websearch/brave-googleceo-2026-06-06.html", "websearch/startpage-anubis-2026-08-11.html"])
        #expect(Set(RealPages.files(in: "websearch")).subtracting(covered).isEmpty)
        #expect(RealPages.files(in: "websearch").count == 16)
    }
}
