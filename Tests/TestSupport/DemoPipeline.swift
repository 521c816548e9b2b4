import ArgumentParser
import DemoWorld
import Foundation
import Gateway
import HTTP
import JSON
import LLMTestSupport
@testable import LensGPT
import Outbound

/// The whole service as `serve --demo` runs it: demo world, local chromedriver, the real stage
/// tree and the gateway on loopback; optionally an LLM (the loopback test server).
final class DemoPipeline {
    let world: DemoWorld
    let setup: PipelineSetup
    let gateway: Gateway
    let directory: String

    /// `llm`: the request-checking test server; `llmBaseURL`: any other OpenAI-compatible server
    /// (the demo's); `lens`: which Lens replica to search.
    /// `faults`: as `--demo-faults` names them; `apis`: eBay's API replica as `--demo-apis` uses it;
    /// `demoAPIs`: the barcode databases' and web-search APIs' replicas.
    init(llm: LLMTestServer? = nil, llmBaseURL: String? = nil, lens: LensVariant = .normal, hangingListing: Bool = false,
         stageTimeoutMillis: Int = 30_000, faults: Set<DemoFault> = [], apis: Bool = false, demoAPIs: DemoAPIEndpoints? = nil,
         arguments: [String] = []) throws
    {
        directory = NSTemporaryDirectory() + "lens-gpt-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        world = try DemoWorld(host: "127.0.0.1", port: 0, hangingListing: hangingListing, faults: faults)
        let options = try PipelineOptions.parse(["--browser-pool-size", "2"] + arguments)
        let chat = (llm?.baseURL ?? llmBaseURL).map {
            ChatConfiguration(apiKey: "test-key", baseURL: $0, model: "gpt-4o", timeoutMillis: 10_000)
        }
        setup = try PipelineSetup.make(options, dataDirectory: directory, stageTimeoutMillis: stageTimeoutMillis,
                                       demo: DemoWiring(world: world, lens: lens, apis: apis), chat: chat, demoAPIs: demoAPIs)
        var settings = GatewaySettings()
        settings.http.host = "127.0.0.1"
        settings.http.port = 0
        settings.http.loopCount = 1
        settings.dataDirectory = directory + "/data"
        settings.webDirectory = directory
        settings.uploadsPerMinute = 0
        gateway = try Gateway(settings: settings, graph: setup.graph)
    }

    func stop() {
        gateway.shutdown(graceMillis: 0)
        setup.lens?.pool.shutdown()
        world.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Uploads a catalog photo and returns the events of its stream (name → payloads); `query`:
    /// the upload URL's query (`country=DE`).
    func classify(_ productID: String, query: String? = nil) throws -> [String: [JSONValue]] {
        guard let photo = LensCatalog.product(productID)?.photo else { throw Failure(description: "no product \(productID)") }
        let http = HTTPClient()
        let boundary = "e2e-boundary"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += photo + Array("\r\n--\(boundary)--\r\n".utf8)
        let response = try http.send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(gateway.port)/classify" + (query.map { "?" + $0 } ?? ""),
                                                       headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                                                       body: body, timeoutMillis: 90_000))
        guard response.status == 200 else { throw Failure(description: "status \(response.status): \(response.text)") }
        return StreamEvents.byName(response.text)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }
}
