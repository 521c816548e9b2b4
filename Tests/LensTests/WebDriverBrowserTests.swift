import Foundation
import JSON
@testable import Outbound
import Testing

extension RealBrowser {
/// The WebDriver client's commands against real chromedriver and Chromium.
@Suite struct WebDriverBrowserTests {
    let world: BrowserWorld

    init() throws { world = try BrowserWorld.get() }

    @Test func commandsAndTheirErrorsAgainstChromium() throws {
        try world.pool.withSession { session in
            try session.navigate(to: world.demo.lensURL() + "?olud")
            #expect(try session.title() == "Google")
            #expect(try session.currentURL().hasSuffix("/?olud"))
            #expect(try session.findElements(css: "input[type=\"file\"]").count == 1)
            #expect(try session.findElements(css: ".nothing-like-this").isEmpty)

            let missing = #expect(throws: WebDriverError.self) { try session.findElement(css: "#missing") }
            #expect(missing?.code == .noSuchElement)
            let broken = #expect(throws: WebDriverError.self) { try session.execute("return undefinedName.x;") }
            #expect(broken?.code == .javascriptError)
            let selector = #expect(throws: WebDriverError.self) { try session.findElements(css: "[[[") }
            #expect(selector?.code == .invalidSelector)

            #expect(try session.execute("return arguments[0] + arguments[1];", [2, 3]) == 5)
            let later = try session.executeAsync("var done = arguments[arguments.length - 1]; setTimeout(function () { done({ok: 42}); }, 50);")
            #expect(later == ["ok": 42])  // the value handed to the callback, after the page's timer

            try session.addCookie(["name": "lens", "value": "v1"])
            #expect(try session.cookies().contains { $0["name"] == "lens" && $0["value"] == "v1" })
            try session.deleteAllCookies()
            #expect(try session.cookies().isEmpty)

            let png = try session.screenshot()
            #expect(png.prefix(4) == [0x89, 0x50, 0x4E, 0x47])
            #expect(try session.pageSource().contains("Search by image"))
        }
    }

    @Test func aDeletedSessionAnswersInvalidSessionID() throws {
        let client = WebDriverClient(baseURL: try world.driver.ensureRunning())
        let session = try client.newSession(capabilities: BrowserPoolConfiguration.headlessChromium(binary: ChromeDriverProcess.find("chromium")))
        try session.delete()
        let error = #expect(throws: WebDriverError.self) { try session.currentURL() }
        #expect(error?.code == .invalidSessionID)
        #expect(error?.endsSession == true)
    }
}
}
