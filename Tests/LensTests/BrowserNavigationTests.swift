import DemoWorld
import HTTP
import Outbound
@testable import Producers
import TestSupport
import Testing

extension RealBrowser {
/// Where a session is left between uses, and what a page that never arrives is reported as,
/// in real headless Chromium.
@Suite struct BrowserNavigationTests {
    let world: BrowserWorld

    init() throws { world = try BrowserWorld.get() }

    @Test func aSessionIsBackOnABlankPageAfterASearch() throws {
        let mug = try #require(LensCatalog.product("ceramic-mug"))
        _ = try world.runner().search(bytes: mug.photo, format: "png", path: nil, name: "reset", timeoutMillis: 60_000)
        // Every session of the pool, the one just used among them: none is on the results page.
        let leases = try (0..<world.pool.configuration.size).map { _ in try world.pool.acquire(waitMillis: 30_000) }
        let urls = leases.map { (try? $0.session.currentURL()) ?? "?" }
        for lease in leases { world.pool.release(lease, healthy: true) }
        #expect(urls.contains(BrowserPool.blankPage), "\(urls)")
        #expect(urls.allSatisfy(BrowserEngine.isStartPage), "\(urls)")
    }

    @Test func aPageThatNeverArrivesIsReportedAsSuchNotAsAPageWithoutItsControls() throws {
        let hanging = try HTTPServer.loopback { _, _, _ in }  // reads the request, never answers
        defer { hanging.shutdown() }
        let lease = try world.pool.acquire(waitMillis: 30_000)
        let signals = try LensProfile.googleLens().signals
        let engine = BrowserEngine(signals: signals, session: lease.session, deadline: Clock.millis() + 4_000, pageLoadLimitMillis: 1_500)
        let failure = #expect(throws: BrowserRunFailure.self) { try engine.open("http://127.0.0.1:\(hanging.port)/?olud") }
        world.pool.release(lease, healthy: false)
        guard case .timeout(let message)? = failure else {
            Issue.record("expected a timeout, got \(String(describing: failure))")
            return
        }
        #expect(message.hasPrefix("opening http://127.0.0.1:\(hanging.port)/"), "\(message)")
        // The load limit passed, then the rest of the run's time while nothing arrived.
        #expect(message.contains("did not arrive within"), "\(message)")
        #expect(message.contains("still on its blank page"), "\(message)")
    }
}
}
