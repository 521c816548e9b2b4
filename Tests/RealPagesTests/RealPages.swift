import Foundation
import HTTP
import JSON
import Outbound
import Synchronization
import TestSupport
import Testing
@testable import Producers

/// The saved real pages (`../shared/peer-data/real-pages`, or `$LENS_GPT_PEER_DATA/real-pages`),
/// served from a loopback HTTP server and opened in real headless Chromium, as the profiles
/// would see the live sites. Requests to other hosts go to a dead proxy, so a saved page's
/// scripts and images fail at once instead of reaching the internet.
final class RealPages: Sendable {
    static let root: URL = PeerData.root.appendingPathComponent("real-pages")

    static var available: Bool { PeerData.has("real-pages/README.md") }

    static let missing = PeerData.missing("real-pages")

    static let shared: Result<RealPages, any Error> = {
        let made = Result { try RealPages() }
        atexit { if case .success(let pages) = RealPages.shared { pages.stop() } }
        return made
    }()

    static func get() throws -> RealPages { try shared.get() }

    struct Missing: Error, CustomStringConvertible {
        let description = "chromedriver is not on PATH: install Debian's chromium and chromium-driver (scripts/deps test does)"
    }

    let server: HTTPServer
    let driver: ChromeDriverProcess
    let pool: BrowserPool
    let directory: String

    init() throws {
        guard let path = ChromeDriverProcess.find() else { throw Missing() }
        let root = RealPages.root
        let directory = NSTemporaryDirectory() + "real-pages-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/made", withIntermediateDirectories: true)
        self.directory = directory
        let made = URL(fileURLWithPath: directory)
        server = try HTTPServer.loopback { head, _, writer in
            // `made/…`: a saved page a test changed (written with `make`), else the saved page itself.
            writer.send(RealPages.serve(head, root: head.path.hasPrefix("/made/") ? made : root))
        }
        driver = ChromeDriverProcess(executable: path, logPath: directory + "/chromedriver.log")
        _ = try driver.ensureRunning()
        var browser = BrowserPoolConfiguration()
        browser.size = 1
        browser.waitMillis = 120_000
        browser.capabilities = RealPages.offline(BrowserPoolConfiguration.headlessChromium(binary: ChromeDriverProcess.find("chromium")))
        pool = BrowserPool(configuration: browser, endpoint: .local(driver, HTTPClient()))
        pool.warmUp()
    }

    /// Every non-loopback request through a proxy on a port nothing listens on: it fails at once.
    static func offline(_ capabilities: JSONValue) -> JSONValue {
        guard var root = capabilities.objectValue, var options = root["goog:chromeOptions"]?.objectValue else { return capabilities }
        var args = options["args"]?.arrayValue ?? []
        args.append("--proxy-server=http://127.0.0.1:9")
        options["args"] = .array(args)
        root["goog:chromeOptions"] = .object(options)
        return .object(root)
    }

    /// `GET /<path under real-pages>` → the saved file, as the site served it (HTML, UTF-8).
    static func serve(_ head: HTTPRequestHead, root: URL) -> HTTPResponse {
        let relative = String(head.path.dropFirst())
        guard !relative.contains(".."), relative.hasSuffix(".html"),
              let data = FileManager.default.contents(atPath: root.appendingPathComponent(relative).path) else {
            return .error(.notFound, code: "not_found", message: "no such saved page")
        }
        let rewrite = head.query.flatMap { query in query.split(separator: "&").first { $0.hasPrefix("rewrite=") }.map { String($0.dropFirst(8)) } }
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]),
                            body: rewrite.map { RealPages.rewrite([UInt8](data), as: $0) } ?? [UInt8](data))
    }

    /// A saved page changed at serve time as the site might change it (`?rewrite=NAME`):
    /// `renamed-cards`: eBay's card classes renamed (`s-card` → `su-item-card`, `s-item` → `x-tile`),
    /// as its redesigns do; `slug-links`: item links `/itm/ID` as older pages write them, `/itm/TITLE-SLUG/ID`.
    static func rewrite(_ bytes: [UInt8], as name: String) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        switch name {
        case "renamed-cards":
            return Array(text.replacing("s-card", with: "su-item-card").replacing("s-item", with: "x-tile").utf8)
        case "slug-links":
            return Array(text.replacing(#/\/itm\/(\d{6,})/#) { "/itm/Saved-Listing-\($0.1)-Title/\($0.1)" }.utf8)
        default:
            return bytes
        }
    }

    /// The loopback URL of a saved page (`ebay/x.html`), with `query` after it.
    func url(_ relative: String, query: String? = nil) -> String {
        "http://127.0.0.1:\(server.port)/\(relative)" + (query.map { "?" + $0 } ?? "")
    }

    /// A changed copy of a saved page, served at `made/<name>`; returns that relative path.
    func make(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/made/" + name))
        return "made/" + name
    }

    /// The saved pages in a corpus folder, sorted.
    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".html") }.sorted().map { "\(folder)/\($0)" }
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    /// A shipped profile run on a saved page, reading everything it shows.
    func run(_ profileName: String, on relative: String, max: Int = 200, query: String? = nil) throws -> SearchOutcome {
        let profile = try SearchProfiles.named(profileName).readingAtMost(max)
        let search = BrowserSearch(pool: pool, profile: profile, diagnosticsDirectory: directory + "/diagnostics")
        return try search.run(url: url(relative, query: query), timeoutMillis: 60_000)
    }

    func stop() {
        pool.shutdown()
        driver.stop()
        server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// One closing-table row, printed so the run's log carries the figures.
func report(_ row: String) { print("REAL-PAGES | " + row) }
