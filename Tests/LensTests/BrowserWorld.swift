import DemoWorld
import Foundation
import Gateway
import Outbound
import Pipeline
import Producers
import TestSupport

/// One demo world and one chromedriver (with real headless Chromium) for all real-browser
/// tests, started on first use and stopped when the test process exits.
final class BrowserWorld: Sendable {
    struct Missing: Error, CustomStringConvertible {
        let description = "chromedriver is not on PATH: install Debian's chromium and chromium-driver (scripts/deps test does)"
    }

    static let shared: Result<BrowserWorld, any Error> = {
        let made = Result { try BrowserWorld() }
        atexit { if case .success(let world) = BrowserWorld.shared { world.stop() } }
        return made
    }()

    static func get() throws -> BrowserWorld { try shared.get() }

    let demo: DemoWorld
    let driverPath: String
    let driver: ChromeDriverProcess
    /// `LENS_GPT_TEST_BROWSER_MODE=headed`: the tests run headed on an Xvfb of their own.
    static let headed = ProcessInfo.processInfo.environment["LENS_GPT_TEST_BROWSER_MODE"] == "headed"
    let display: XvfbProcess?
    let http = HTTPClient()
    let directory: String
    /// Two warm sessions shared by the tests that need no pool of their own.
    let pool: BrowserPool

    init() throws {
        guard let path = ChromeDriverProcess.find() else { throw Missing() }
        driverPath = path
        directory = NSTemporaryDirectory() + "lens-browser-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        demo = try DemoWorld()
        display = BrowserWorld.headed ? try XvfbProcess(logPath: directory + "/xvfb.log") : nil
        driver = ChromeDriverProcess(executable: path, logPath: directory + "/chromedriver.log",
                                     environment: display.map { ["DISPLAY": $0.display] } ?? [:])
        _ = try driver.ensureRunning()
        pool = BrowserWorld.makePool(size: 2, endpoint: .local(driver, http))
        pool.warmUp()
    }

    static func makePool(size: Int, endpoint: BrowserEndpoint) -> BrowserPool {
        var configuration = BrowserPoolConfiguration()
        configuration.size = size
        configuration.waitMillis = 60_000
        configuration.capabilities = BrowserPoolConfiguration.chromium(mode: headed ? .headed : .headless,
                                                                       binary: ChromeDriverProcess.find("chromium"))
        configuration.derivesUserAgent = !headed
        return BrowserPool(configuration: configuration, endpoint: endpoint)
    }

    /// A chromedriver of its own, for tests that kill it.
    func ownDriver() -> ChromeDriverProcess {
        ChromeDriverProcess(executable: driverPath, logPath: directory + "/chromedriver-own.log",
                            environment: display.map { ["DISPLAY": $0.display] } ?? [:])
    }

    /// The shipped Google profile pointed at a replica variant.
    func runner(_ variant: LensVariant = .normal, pool: BrowserPool? = nil, edit: (inout LensProfile) -> Void = { _ in }) throws -> LensRunner {
        var profile = try LensProfile.googleLens().startingAt(demo.lensURL(variant))
        edit(&profile)
        return LensRunner(pool: pool ?? self.pool, profile: profile, diagnosticsDirectory: directory + "/diagnostics")
    }

    /// A gateway on a free port whose tree has the Lens stage.
    func gateway(runner: LensRunner) throws -> Gateway {
        var settings = GatewaySettings.loopback(directory: directory)
        settings.workers = 8
        settings.dataDirectory = directory + "/gateway-" + UUID().uuidString
        let pool = runner.pool
        return try Gateway(settings: settings, graph: StageTree.graph(stageTimeoutMillis: 60_000, lens: runner),
                           readinessChecks: [{ ("browser", pool.browserState.rawValue, pool.browserState == .ready) }],
                           extraResponder: { DemoWorld.sampleResponse($0) })
    }

    func stop() {
        pool.shutdown()
        driver.stop()
        display?.stop()
        demo.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// One SSE frame.
struct StreamEvent {
    var name: String
    var data: String
}

enum Upload {
    static let boundary = "lens-test-boundary"

    /// Uploads `photo` to `/classify` and reads the SSE stream to its end.
    static func classify(_ photo: [UInt8], port: Int, http: HTTPClient = HTTPClient()) throws -> [StreamEvent] {
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += photo
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        let response = try http.send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)/classify",
                                                       headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                                                       body: body, timeoutMillis: 120_000))
        return parse(response.text)
    }

    static func parse(_ text: String) -> [StreamEvent] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var name: String?
            var data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let name, let data else { return nil }
            return StreamEvent(name: name, data: data)
        }
    }
}
