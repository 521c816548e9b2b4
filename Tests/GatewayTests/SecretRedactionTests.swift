import Foundation
import Gateway
import HTTP
import JSON
import Pipeline
import Producers
import Secrets
import TestSupport
import Testing

/// Secrets never leave the gateway: a stage error that quotes a key, a monitor whose text
/// carries one, and a photo URL's signature in the request log are all scrubbed.
@Suite(.serialized) struct SecretRedactionTests {
    /// A stage that fails the way an API client fails, quoting the request URL with its key.
    struct LeakyProducer: Producer {
        let stage = "leaky"
        let secret: String
        func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
            throw StageError(code: "lens_api_timeout",
                             message: "GET https://api.example/search.json?engine=google_lens&api_key=\(secret): no answer; key \(secret)")
        }
    }

    /// A monitor (like the canary) whose readiness and metrics quote a failure with the key.
    struct LeakyMonitor: ServiceMonitor {
        let secret: String
        var name: String { "leaky" }
        func readiness() -> (detail: JSONValue, ok: Bool) {
            (["state": "degraded", "message": .string("HTTP 401 for key \(secret)")], true)
        }
        func metricsText() -> String { "# HELP leaky_up A test gauge.\n# TYPE leaky_up gauge\nleaky_up{detail=\"\(secret)\"} 0\n" }
    }

    static func registeredSecret() -> String {
        let secret = "test-key-" + UUID().uuidString
        SecretScrubber.shared.register(secret, as: SecretSettings.hostedLensKey)
        return secret
    }

    @Test(arguments: Transport.allCases) func aKeyInAStageErrorReachesNeitherTheStreamNorTheStoredResult(_ transport: Transport) throws {
        let secret = SecretRedactionTests.registeredSecret()
        let server = try TestServer(transport: transport, graph: try TestGraphs.imageInfo(then: LeakyProducer(secret: secret)))
        defer { server.stop() }
        let png = TestImages.png(width: 6, height: 5, seed: 126)
        let streamed = try server.classify(png)
        #expect(streamed.status == 200)
        let errors = SSE.parse(streamed.bodyText).filter { $0.event == "stage-error" }
        #expect(errors.count == 1, "\(streamed.bodyText)")
        #expect(errors.first?.data.contains("lens_api_timeout") == true)
        #expect(!streamed.bodyText.contains(secret), "\(streamed.bodyText)")
        #expect(streamed.bodyText.contains("api_key=REDACTED"))
        let id = TestImages.sha256Hex(png)
        var stored = try server.get("/results/\(id)")
        #expect(waitUntil { stored = (try? server.get("/results/\(id)")) ?? stored; return stored.bodyText.contains("\"done\"") })
        #expect(stored.status == 200)
        #expect(stored.bodyText.contains("lens_api_timeout"))
        #expect(!stored.bodyText.contains(secret), "\(stored.bodyText)")
        let replayed = try server.get("/results/\(id)/events")
        #expect(!replayed.bodyText.contains(secret))
    }

    @Test func aKeyInAMonitorsTextReachesNeitherReadyzNorMetrics() throws {
        let secret = SecretRedactionTests.registeredSecret()
        let directory = NSTemporaryDirectory() + "lens-gpt-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gateway = try Gateway(settings: .loopback(directory: directory), graph: try PipelineGraph([]), monitors: [LeakyMonitor(secret: secret)])
        defer { gateway.shutdown(graceMillis: 0) }
        let client = try TestClient(port: gateway.port)
        try client.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        let ready = try client.readResponse()
        #expect(ready.bodyText.contains("degraded"))
        #expect(!ready.bodyText.contains(secret), "\(ready.bodyText)")
        let second = try TestClient(port: gateway.port)
        try second.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        let metrics = try second.readResponse()
        #expect(metrics.bodyText.contains("leaky_up{detail=\"REDACTED\"} 0"), "\(metrics.bodyText)")
        #expect(!metrics.bodyText.contains(secret))
    }

    /// The photo URL's `sig` is a credential for the photo: redacted like the result token.
    @Test func thePhotoURLsSignatureIsNotLogged() throws {
        let shelf = PhotoShelf(publicBaseURL: "http://127.0.0.1:1")
        let url = shelf.publish(id: String(repeating: "ab", count: 32), path: "/nonexistent", format: "png")
        let target = String(url.dropFirst("http://127.0.0.1:1".count))
        let signature = try #require(target.split(separator: "&").first { $0.hasPrefix("sig=") }?.dropFirst(4))
        #expect(signature.count >= 32)
        let entry = HTTPRequestLog(id: RequestID(prefix: "p-", number: 1), method: "GET", target: target,
                                   status: 200, bytesSent: 10, durationMillis: 1, peer: "127.0.0.1:5000", closedEarly: false)
        var line: [UInt8] = []
        RequestLogLine.append(entry, at: 0, to: &line)
        let text = String(decoding: line, as: UTF8.self)
        #expect(!text.contains(signature), "\(text)")
        #expect(text.contains("&sig=REDACTED 200"), "\(text)")
        #expect(text.contains("?expires="))  // what is not secret stays
        // Spelled in another case or percent-encoded, it is redacted too.
        for variant in ["SIG=\(signature)", "%73ig=\(signature)", "api_key=\(signature)"] {
            #expect(!RequestLogRedaction.redacted("/photos/x.png?\(variant)").contains(signature))
        }
    }
}
