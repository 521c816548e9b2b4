import ArgumentParser
import DemoWorld
import Foundation
import Gateway
import HTTP
import JSON
@testable import LensGPT
import Outbound

/// The whole service as `serve --demo` runs it: demo world, local chromedriver, the real stage
/// tree and the gateway on loopback; optionally an LLM, the API replicas, the visual-search
/// providers with signed photo URLs and the canary.
package final class DemoPipeline {
    package let world: DemoWorld
    let setup: PipelineSetup
    package let gateway: Gateway
    package let directory: String
    package let http = HTTPClient()
    /// The barcode databases' and web-search APIs' replicas (`--demo-apis`), when asked for.
    private let demoAPIs: DemoAPIWiring?

    /// `llm`: the tests' request-checking model server; `llmBaseURL`: any other OpenAI-compatible one (the demo's);
    /// `lens`: which Lens replica to search; `faults`: as `--demo-faults` names them; `apis`:
    /// eBay's API replica as `--demo-apis` uses it; `demoAPIs`: the barcode databases' and
    /// web-search APIs' replicas too; `servesPhotos`: the gateway answers the signed photo URLs
    /// hosted Lens APIs fetch; `canaryMillis`: the Lens canary runs at that interval.
    package init(llm: LLMTestServer? = nil, llmBaseURL: String? = nil, lens: LensVariant = .normal, hangingListing: Bool = false,
                 stageTimeoutMillis: Int = 30_000, faults: Set<DemoFault> = [], apis: Bool = false, demoAPIs: Bool = false,
                 servesPhotos: Bool = false, canaryMillis: Int? = nil, arguments: [String] = []) throws
    {
        directory = NSTemporaryDirectory() + "lens-gpt-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        world = try DemoWorld(host: "127.0.0.1", port: 0, hangingListing: hangingListing, faults: faults)
        var args = ["--browser-pool-size", "2"] + arguments
        if let canaryMillis, let photo = LensCatalog.product("desk-lamp")?.photo {
            let path = directory + "/canary.png"
            _ = FileManager.default.createFile(atPath: path, contents: Data(photo))
            args += ["--canary-image", path, "--canary-interval", String(canaryMillis)]
        }
        let options = try PipelineOptions.parse(args)
        let chat = (llm?.baseURL ?? llmBaseURL).map {
            ChatConfiguration(apiKey: "test-key", baseURL: $0, model: "gpt-4o", timeoutMillis: 10_000)
        }
        self.demoAPIs = demoAPIs ? try DemoAPIWiring.start() : nil
        setup = try PipelineSetup.make(options, dataDirectory: directory + "/data", stageTimeoutMillis: stageTimeoutMillis,
                                       demo: DemoWiring(world: world, lens: lens, apis: apis), chat: chat, servesPhotos: servesPhotos,
                                       demoAPIs: self.demoAPIs?.endpoints)
        var settings = GatewaySettings.loopback(directory: directory)
        settings.uploadsPerMinute = 0
        let photos = servesPhotos ? setup.visual.photos : nil
        gateway = try Gateway(settings: settings, graph: setup.graph, photos: photos, monitors: setup.visual.monitors)
        photos?.setPublicBaseURL(base)
        setup.visual.canary?.start()
    }

    package var base: String { "http://127.0.0.1:\(gateway.port)" }
    /// The API replicas (`demoAPIs`), to see what they were asked.
    package var barcodeDatabases: BarcodeDatabaseReplicas? { demoAPIs?.barcodeDatabases }
    package var webSearchAPIs: WebSearchAPIReplicas? { demoAPIs?.webSearchAPIs }
    /// Whether the pipeline searches Lens in a browser (`--no-browser` turns it off).
    package var searchesLens: Bool { setup.lens != nil }

    package func stop() {
        setup.visual.canary?.stop()
        gateway.shutdown(graceMillis: 0)
        setup.lens?.pool.shutdown()
        world.shutdown()
        demoAPIs?.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Uploads a catalog photo (with optional form fields and headers; `query`: the upload URL's,
    /// `country=DE`) and returns the events of its stream (name → payloads).
    package func classify(_ productID: String, fields: [(String, String)] = [], headers: [(String, String)] = [], query: String? = nil)
        throws -> [String: [JSONValue]]
    {
        guard let photo = LensCatalog.product(productID)?.photo else { throw TestFailure("no product \(productID)") }
        let boundary = "e2e-boundary"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += photo + Array("\r\n--\(boundary)--\r\n".utf8)
        let response = try http.send(HTTPClientRequest(method: "POST", url: base + "/classify" + (query.map { "?" + $0 } ?? ""),
                                                       headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")] + headers,
                                                       body: body, timeoutMillis: 120_000))
        guard response.status == 200 else { throw TestFailure("status \(response.status): \(response.text)") }
        return StreamEvents.byName(response.text)
    }
}
