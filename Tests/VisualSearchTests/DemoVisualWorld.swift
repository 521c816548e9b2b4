import ArgumentParser
import DemoWorld
import Foundation
import Gateway
import HTTP
import JSON
import LLMTestSupport
@testable import LensGPT
import Outbound

/// `serve --demo` as a test runs it: the demo world (with faults), local chromedriver, both
/// visual-search providers, the gateway serving signed photo URLs, optionally the canary.
final class DemoVisualWorld {
    let world: DemoWorld
    let setup: PipelineSetup
    let gateway: Gateway
    let directory: String
    let http = HTTPClient()

    init(faults: Set<DemoFault> = [], arguments: [String] = [], canaryMillis: Int? = nil) throws {
        directory = NSTemporaryDirectory() + "lens-gpt-visual-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        world = try DemoWorld(host: "127.0.0.1", port: 0, faults: faults)
        var args = ["--browser-pool-size", "2"] + arguments
        if let canaryMillis, let photo = LensCatalog.product("desk-lamp")?.photo {
            let path = directory + "/canary.png"
            _ = FileManager.default.createFile(atPath: path, contents: Data(photo))
            args += ["--canary-image", path, "--canary-interval", String(canaryMillis)]
        }
        let options = try PipelineOptions.parse(args)
        setup = try PipelineSetup.make(options, dataDirectory: directory + "/data", stageTimeoutMillis: 45_000, demo: DemoWiring(world: world),
                                       servesPhotos: true)
        var settings = GatewaySettings()
        settings.http.host = "127.0.0.1"
        settings.http.port = 0
        settings.http.loopCount = 1
        settings.dataDirectory = directory + "/data"
        settings.webDirectory = directory
        settings.uploadsPerMinute = 0
        gateway = try Gateway(settings: settings, graph: setup.graph, photos: setup.visual.photos, monitors: setup.visual.monitors)
        setup.visual.photos?.setPublicBaseURL("http://127.0.0.1:\(gateway.port)")
        setup.visual.canary?.start()
    }

    func stop() {
        setup.visual.canary?.stop()
        gateway.shutdown(graceMillis: 0)
        setup.lens?.pool.shutdown()
        world.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var base: String { "http://127.0.0.1:\(gateway.port)" }

    /// Uploads a catalog photo (with optional form fields and headers); the stream's events, name → payloads.
    func classify(_ productID: String, fields: [(String, String)] = [], headers: [(String, String)] = [], query: String = "")
        throws -> [String: [JSONValue]]
    {
        guard let photo = LensCatalog.product(productID)?.photo else { throw Failure(description: "no product \(productID)") }
        let boundary = "visual-boundary"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += photo + Array("\r\n--\(boundary)--\r\n".utf8)
        let response = try http.send(HTTPClientRequest(method: "POST", url: base + "/classify" + query,
                                                       headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")] + headers,
                                                       body: body, timeoutMillis: 120_000))
        guard response.status == 200 else { throw Failure(description: "status \(response.status): \(response.text)") }
        return StreamEvents.byName(response.text)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }
}

/// Polls `condition` until it holds or `seconds` pass (no sleeping as synchronisation).
func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)  // poll interval, bounded by the deadline
    }
    return try condition()
}
