import DemoWorld
import Foundation
import Outbound
import Pipeline
@testable import Producers
import TestSupport
import Testing

/// The browser provider alone with real Chromium: consent cookies set before the search get
/// past the wall, an unreachable site is `network_unavailable`, the locale reaches the URL.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                             "chromedriver is not installed: scripts/deps test installs chromium and chromium-driver"))
final class BrowserLensTests {
    let world: DemoWorld
    let driver: ChromeDriverProcess
    let pool: BrowserPool
    let directory = NSTemporaryDirectory() + "lens-gpt-browser-lens-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        world = try DemoWorld()
        driver = ChromeDriverProcess(executable: try #require(ChromeDriverProcess.find()), logPath: directory + "/chromedriver.log")
        var configuration = BrowserPoolConfiguration()
        configuration.size = 1
        configuration.capabilities = BrowserPoolConfiguration.headlessChromium(binary: ChromeDriverProcess.find("chromium"))
        pool = BrowserPool(configuration: configuration, endpoint: .local(driver, HTTPClient()))
    }

    deinit {
        pool.shutdown()
        driver.stop()
        world.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func provider(_ url: String, cookies: [BrowserCookie] = []) throws -> BrowserLensSearch {
        let runner = LensRunner(pool: pool, profile: try LensProfile.googleLens().startingAt(url), diagnosticsDirectory: nil)
        return BrowserLensSearch(runner: runner, timeoutMillis: 30_000, cookies: cookies)
    }

    func query(_ id: String, locale: RunLocale = .fallback) throws -> VisualQuery {
        let photo = try #require(LensCatalog.product(id)?.photo)
        return VisualQuery(image: UploadedImage(id: String(repeating: "0", count: 64), path: "/nonexistent", bytes: photo.count, locale: locale),
                           bytes: photo, format: "png")
    }

    @Test func consentCookiesGetPastTheWallAndTheLocaleReachesTheURL() throws {
        let cookie = BrowserCookie(name: "SOCS", value: world.consentCookieValue)
        let shownBefore = world.stats.consentShown.load(ordering: .relaxed)
        let lens = try provider(world.lensURL(.consentFirst), cookies: [cookie])
        let photo = try query("headphones", locale: RunLocale(country: "AT", language: "de"))
        // On a machine shared by many test processes one slow page is not this test's subject: once more.
        let result = try (try? lens.search(photo, timeoutMillis: 45_000)) ?? lens.search(photo, timeoutMillis: 45_000)
        #expect(result.matches.first?.title == LensCatalog.product("headphones")?.matches.first?.title)
        #expect(result.matches.allSatisfy { $0.provider == "google-lens" })
        #expect(world.stats.consentShown.load(ordering: .relaxed) == shownBefore, "the consent wall was shown despite the cookie")
    }

    @Test func anUnreachableSiteIsNetworkUnavailable() throws {
        let port = try closedPort()
        #expect { try self.provider("http://127.0.0.1:\(port)/").search(try self.query("desk-lamp"), timeoutMillis: 20_000) } throws: { error in
            let failure = error as? VisualSearchFailure
            return failure?.code == "network_unavailable" && failure?.message.contains("network") == true
        }
    }
}
