import Foundation
import Gateway
import JSON
@testable import LensGPT
import Outbound
import TestSupport
import Testing

/// The WebDriver endpoint is down when lens-gpt starts: `/readyz` says so, and uploads get a
/// clear error event while the run still ends with `done`.
@Suite struct BrowserDownTests {
    @Test func readinessAndUploadsWhenTheBrowserCannotBeReached() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-nobrowser-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let deadPort = try closedPort()

        let options = try PipelineOptions.parse(["--webdriver-url", "http://127.0.0.1:\(deadPort)", "--browser-wait-ms", "2000"])
        let setup = try PipelineSetup.make(options, dataDirectory: directory, stageTimeoutMillis: 20_000)
        defer { setup.lens?.pool.shutdown() }
        let gateway = try Gateway(settings: .loopback(directory: directory), graph: setup.graph, readinessChecks: setup.readinessChecks)
        defer { gateway.shutdown(graceMillis: 0) }
        setup.lens?.pool.warmUp()

        let http = HTTPClient()
        var ready: HTTPClientResponse?
        _ = try waitUntil(timeout: 15, every: 0.02) {
            ready = try http.get("http://127.0.0.1:\(gateway.port)/readyz")
            return ready?.text.contains("unavailable") == true
        }
        #expect(ready?.status == 503)
        #expect(ready?.text.contains(#""browser":{"state":"unavailable"}"#) == true, "\(ready?.text ?? "")")

        // An upload still gets a stream: image-info, then the Lens step's error, then done.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
                            0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0, 0, 0, 0, 0]
        let response = try http.send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(gateway.port)/classify",
                                                       headers: [("Content-Type", "image/png")], body: png, timeoutMillis: 30_000))
        #expect(response.status == 200)
        #expect(response.text.contains("event: image-info"))
        #expect(response.text.contains(#""stage":"lens-matches","code":"browser_unavailable""#), "\(response.text)")
        #expect(response.text.contains(#""status":"partial""#))
    }
}
