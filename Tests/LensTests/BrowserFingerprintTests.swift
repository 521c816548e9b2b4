import DemoWorld
import Foundation
import HTTP
import JSON
import Outbound
import Synchronization
import TestSupport
import Testing

/// What a page sees of the browser `lens-gpt lens` drives, headless and headed on
/// Xvfb. The page is the test's own, on loopback, given as the Lens start URL; it reports what
/// the browser tells it, and the server keeps the request headers.
@Suite(.serialized, .enabled(if: lensGPTBinary != nil && ChromeDriverProcess.find() != nil,
                             "needs lens-gpt built beside the tests and chromedriver on PATH"))
struct BrowserFingerprintTests {
    final class Seen: Sendable {
        let value = Mutex<(headers: [String: String], report: JSONValue?)>(([:], nil))
    }

    final class ReportingPage: Sendable {
        let server: HTTPServer
        private let seen = Seen()

        static let page = """
            <!doctype html><html><head><title>What the browser says</title></head><body><script>
            // After load, on a rendered frame: the window has its final size by then.
            addEventListener("load", () => requestAnimationFrame(async () => {
              const data = navigator.userAgentData;
              const report = {
                userAgent: navigator.userAgent, webdriver: navigator.webdriver, language: navigator.language,
                brands: data ? data.brands.map(b => b.brand + "/" + b.version) : [],
                outerWidth: window.outerWidth, outerHeight: window.outerHeight,
                screenWidth: screen.width, screenHeight: screen.height,
              };
              await fetch("/report", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(report)});
            }));
            </script></body></html>
            """

        init() throws {
            let seen = seen
            server = try HTTPServer.loopback { head, body, writer in
                if head.method == "POST" && head.path == "/report" {
                    let report = try? JSONParser.parse(String(decoding: body, as: UTF8.self))
                    seen.value.withLock { $0.report = report }
                    writer.send(.text(.ok, "thanks\n"))
                    return
                }
                if head.path == "/" {
                    var headers: [String: String] = [:]
                    for name in ["User-Agent", "sec-ch-ua", "Accept-Language"] { headers[name] = head.headers.values(name).first }
                    seen.value.withLock { $0.headers = headers }
                }
                writer.send(HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")]),
                                         body: Array(ReportingPage.page.utf8)))
            }
        }

        var headers: [String: String] { seen.value.withLock { $0.headers } }
        var report: JSONValue? { seen.value.withLock { $0.report } }
    }

    /// The major version of a brand in `Brand/version` or `"Brand";v="version"` lists.
    static func version(of brand: String, in text: String) -> String? {
        for pattern in ["\(brand)/", "\"\(brand)\";v=\""] {
            if let range = text.range(of: pattern) { return String(text[range.upperBound...].prefix { $0.isNumber }) }
        }
        return nil
    }

    /// Runs `lens-gpt lens` against the reporting page with `extra` flags; what the page saw.
    func lens(_ extra: [String]) throws -> (headers: [String: String], report: JSONValue, stderr: String) {
        let seen = try run(extra)
        let report = try #require(seen.report, "the page sent no report; lens-gpt said: \(seen.stderr)")
        return (seen.headers, report, seen.stderr)
    }

    func run(_ extra: [String]) throws -> (headers: [String: String], report: JSONValue?, stderr: String) {
        let page = try ReportingPage()
        defer { page.server.shutdown() }
        let directory = NSTemporaryDirectory() + "lens-fingerprint-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let photo = directory + "/photo.png"
        let lamp = try #require(LensCatalog.product("desk-lamp"))
        try Data(lamp.photo).write(to: URL(fileURLWithPath: photo))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: lensGPTBinary ?? "/nonexistent")
        process.arguments = ["lens", photo, "--lens-url", "http://127.0.0.1:\(page.server.port)/", "--data-dir", directory + "/data",
                             "--timeout-ms", "10000"] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = nil  // this machine has no screen: headed needs --xvfb
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waitUntil(timeout: 30, every: 0.02) { !process.isRunning }  // stderr closed: exiting now
        return (page.headers, page.report, stderr)
    }

    func expectAConsistentBrowser(_ seen: (headers: [String: String], report: JSONValue, stderr: String), language: String = "en-US") {
        let userAgent = seen.report["userAgent"]?.stringValue ?? ""
        let brands = (seen.report["brands"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
        let header = seen.headers["User-Agent"] ?? ""
        let hints = seen.headers["sec-ch-ua"] ?? ""
        #expect(header == userAgent, "User-Agent header and navigator.userAgent agree")
        for text in [userAgent, brands, hints] { #expect(!text.contains("Headless"), "\(text)") }
        let major = BrowserFingerprintTests.version(of: "Chrome", in: userAgent)
        #expect(major != nil && major?.isEmpty == false, "\(userAgent)")
        #expect(BrowserFingerprintTests.version(of: "Chromium", in: brands) == major, "userAgentData \(brands) vs \(userAgent)")
        #expect(BrowserFingerprintTests.version(of: "Chromium", in: hints) == major, "sec-ch-ua \(hints) vs \(userAgent)")
        #expect(seen.report["webdriver"] == false)
        #expect(seen.report["language"]?.stringValue == language)
        #expect(seen.headers["Accept-Language"]?.hasPrefix(language) == true, "\(seen.headers)")
        let width = seen.report["outerWidth"]?.intValue ?? 0
        let height = seen.report["outerHeight"]?.intValue ?? 0
        #expect(width >= 1_000 && height >= 600, "window \(width)×\(height): \(seen.report)")
        #expect((seen.report["screenWidth"]?.intValue ?? 0) >= width, "screen \(seen.report)")
    }

    @Test func headlessLooksLikeTheBrowserItIs() throws {
        expectAConsistentBrowser(try lens(["--browser-mode", "headless"]))
    }

    @Test func headedOnXvfbLooksLikeTheBrowserItIs() throws {
        try #require(ChromeDriverProcess.find("Xvfb") != nil, "SKIPPED: Xvfb is not installed (scripts/deps test installs xvfb)")
        expectAConsistentBrowser(try lens(["--browser-mode", "headed", "--xvfb"]))
    }

    @Test func theLanguageSettingReachesBothHeaderAndScript() throws {
        expectAConsistentBrowser(try lens(["--language", "de-CH"]), language: "de-CH")
    }

    @Test func headedWithoutADisplayIsAClearError() throws {
        let seen = try run(["--browser-mode", "headed"])
        #expect(seen.report == nil)
        #expect(seen.stderr.contains("invalid_settings") && seen.stderr.contains("--xvfb"), "\(seen.stderr)")
    }
}
