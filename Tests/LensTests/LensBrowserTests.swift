@testable import DemoWorld
import Foundation
import JSON
import Outbound
import Pipeline
import Producers
import Testing

/// Every test that drives the real browser, one at a time: they share one chromedriver, and the
/// timing test must not compete with other searches for the two cores.
@Suite(.serialized) enum RealBrowser {}

extension RealBrowser {
/// The Lens step against real headless Chromium and the offline replica, with the shipped
/// Google profile unchanged except for its start URL.
@Suite struct LensBrowserTests {
    let world: BrowserWorld

    init() throws { world = try BrowserWorld.get() }

    func product(_ id: String) throws -> LensProduct { try #require(LensCatalog.product(id)) }

    @Test func theGoogleProfileReadsEveryFieldOfEveryCard() throws {
        let lamp = try product("desk-lamp")
        let matches = try world.runner().search(bytes: lamp.photo, format: "png", path: nil, name: "fields", timeoutMillis: 60_000)
        try #require(matches.count == lamp.matches.count)
        for (index, (match, expected)) in zip(matches, lamp.matches).enumerated() {
            #expect(match.position == index + 1)
            #expect(match.title == expected.title)
            #expect(match.link == expected.link)  // unwrapped and without tracking parameters
            #expect(match.domain == expected.domain)
            #expect(match.source == expected.source)
            #expect(match.price == expected.price)
            #expect(match.currency == expected.currency)
            #expect(match.thumbnail?.hasPrefix("data:image/png;base64,") == true)  // filled in by the inline script
        }
        #expect(lamp.matches.contains { $0.viaRedirect } && lamp.matches.contains { $0.priceOutsideLink })
    }

    @Test func differentPhotosGiveTheirOwnMatchesAndAnUnknownPhotoNone() throws {
        let runner = try world.runner()
        for id in ["chronograph", "ceramic-mug"] {
            let product = try product(id)
            let matches = try runner.search(bytes: product.photo, format: "png", path: nil, name: id, timeoutMillis: 60_000)
            #expect(matches.map(\.title) == product.matches.map(\.title))
        }
        var noise: [UInt8] = []
        for i in 0..<(96 * 96 * 3) { noise.append(UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13)) }
        let unknown = PNGWriter.encode(width: 96, height: 96, rgb: noise)
        let error = #expect(throws: StageError.self) {
            try runner.search(bytes: unknown, format: "png", path: nil, name: "unknown", timeoutMillis: 60_000)
        }
        #expect(error?.code == "lens_no_matches")
    }

    @Test func theConsentWallIsPassed() throws {
        let shown = world.demo.stats.consentShown.load(ordering: .relaxed)
        let accepted = world.demo.stats.consentAccepted.load(ordering: .relaxed)
        let mug = try product("ceramic-mug")
        let matches = try world.runner(.consentFirst).search(bytes: mug.photo, format: "png", path: nil, name: "consent", timeoutMillis: 60_000)
        #expect(matches.first?.title == mug.matches.first?.title)
        #expect(world.demo.stats.consentShown.load(ordering: .relaxed) > shown)
        #expect(world.demo.stats.consentAccepted.load(ordering: .relaxed) > accepted)
    }

    @Test func aBotCheckIsLensBlockedWithAScreenshotAndThePageSource() throws {
        let shoe = try product("trail-shoe")
        let error = #expect(throws: StageError.self) {
            try world.runner(.botCheck).search(bytes: shoe.photo, format: "png", path: nil, name: "blocked", timeoutMillis: 60_000)
        }
        #expect(error?.code == "lens_blocked")
        #expect(error?.retryable == true)
        // Named by diagnostics id, never by a server path; the operator resolves the id.
        let artifacts = error?.artifacts ?? []
        #expect(artifacts.allSatisfy { $0.hasPrefix("diag-") && !$0.contains("/") }, "\(artifacts)")
        let diagnostics = try #require(world.runner(.botCheck).diagnostics)
        let screenshot = try #require(artifacts.first { $0.hasSuffix(".png") }.flatMap(diagnostics.path(for:)))
        let source = try #require(artifacts.first { $0.hasSuffix(".html") }.flatMap(diagnostics.path(for:)))
        #expect(FileManager.default.contents(atPath: screenshot)?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(try FileManager.default.attributesOfItem(atPath: source)[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: source, encoding: .utf8).contains("unusual traffic"))
    }

    @Test func noResultsIsLensNoMatches() throws {
        let shoe = try product("trail-shoe")
        let error = #expect(throws: StageError.self) {
            try world.runner(.noResults).search(bytes: shoe.photo, format: "png", path: nil, name: "none", timeoutMillis: 60_000)
        }
        #expect(error?.code == "lens_no_matches")
        #expect(error?.artifacts.count == 2)
    }

    @Test func pathUploadWorksWhenTheBrowserSeesOurFiles() throws {
        let pack = try product("canvas-backpack")
        let path = world.directory + "/backpack.png"
        try Data(pack.photo).write(to: URL(fileURLWithPath: path))
        let runner = try world.runner { $0.uploadMethod = .path }
        let matches = try runner.search(bytes: [], format: "png", path: path, name: "path", timeoutMillis: 60_000)
        #expect(matches.first?.title == pack.matches.first?.title)
    }

    @Test func aSearchWithAWarmPoolTakesUnderFourSeconds() throws {
        #expect(waitFor { world.pool.idleSessions >= 1 })
        let lamp = try product("desk-lamp")
        let started = ContinuousClock.now
        let matches = try world.runner().search(bytes: lamp.photo, format: "png", path: nil, name: "timed", timeoutMillis: 60_000)
        let elapsed = ContinuousClock.now - started
        print("lens search with a warm pool: \(elapsed), \(matches.count) matches")
        #expect(matches.count >= 5)
        #expect(elapsed < .seconds(4))
    }
}
}
