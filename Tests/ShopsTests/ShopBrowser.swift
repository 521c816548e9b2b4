import DemoWorld
import Foundation
import JSON
import Outbound
import Producers

/// Real headless Chromium whose proxy is the shop tests' demo world, for the pages and
/// searches the shopping stages run in a browser. Started on first use, stopped at exit.
final class ShopBrowser: Sendable {
    struct Missing: Error, CustomStringConvertible {
        let description = "chromedriver is not on PATH: install Debian's chromium and chromium-driver (scripts/deps test does)"
    }

    static let shared: Result<ShopBrowser, any Error> = {
        let made = Result { try ShopBrowser() }
        atexit { if case .success(let browser) = ShopBrowser.shared { browser.stop() } }
        return made
    }()

    static func get() throws -> ShopBrowser { try shared.get() }

    let driver: ChromeDriverProcess
    let pool: BrowserPool
    let directory: String

    init() throws {
        guard let path = ChromeDriverProcess.find() else { throw Missing() }
        let world = try ShopWorld.get()
        directory = NSTemporaryDirectory() + "shops-browser-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        driver = ChromeDriverProcess(executable: path, logPath: directory + "/chromedriver.log")
        _ = try driver.ensureRunning()
        var configuration = BrowserPoolConfiguration()
        configuration.size = 2
        configuration.waitMillis = 60_000
        configuration.capabilities = ShopBrowser.proxied(
            BrowserPoolConfiguration.headlessChromium(binary: ChromeDriverProcess.find("chromium")), through: world.proxyURL)
        pool = BrowserPool(configuration: configuration, endpoint: .local(driver, HTTPClient()))
        pool.warmUp()
    }

    /// The capabilities with Chromium sending every non-loopback request to `proxy`.
    static func proxied(_ capabilities: JSONValue, through proxy: String) -> JSONValue {
        guard var root = capabilities.objectValue, var options = root["goog:chromeOptions"]?.objectValue else { return capabilities }
        var args = options["args"]?.arrayValue ?? []
        args.append(.string("--proxy-server=\(proxy)"))
        options["args"] = .array(args)
        root["goog:chromeOptions"] = .object(options)
        return .object(root)
    }

    func stop() {
        pool.shutdown()
        driver.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
