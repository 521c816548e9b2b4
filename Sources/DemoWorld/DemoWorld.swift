import HTTP
import JSON
import Synchronization

/// The offline world lens-gpt can run against: today the Lens replica and its sample photos,
/// served by our own HTTP server on loopback.
public final class DemoWorld: Sendable {
    public let server: HTTPServer
    public let stats = LensReplicaStats()
    public let host: String

    /// Starts serving on `host:port` (port 0: a free one).
    public init(host: String = "127.0.0.1", port: Int = 0, cardIntervalMillis: Int = 140) throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loopCount = 1
        var token = ""
        for _ in 0..<16 { token += String(UInt8.random(in: 0...255), radix: 16) }
        let replica = LensReplica(stats: stats, consentToken: token, cardIntervalMillis: cardIntervalMillis)
        self.host = host
        server = try HTTPServer(configuration: configuration) { _, _ in
            BufferedRequestHandler { head, body, writer in
                writer.send(DemoWorld.sampleResponse(head) ?? replica.response(head, body: body)
                    ?? .error(.notFound, code: "not_found", message: "no such page in the demo world"))
            }
        }
    }

    public var port: Int { server.port }
    public var baseURL: String { "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" }

    /// The start URL of a replica variant (what `--lens-url` takes).
    public func lensURL(_ variant: LensVariant = .normal) -> String { baseURL + variant.prefix + "/" }

    public func shutdown() { server.shutdown() }

    /// `GET /demo/samples.json` (`[{"name", "url"}]`, URLs relative to the server that answers),
    /// `GET /demo/samples/{id}.png` and the replica's script: shared by this server and the
    /// gateway in demo mode.
    public static func sampleResponse(_ head: HTTPRequestHead) -> HTTPResponse? {
        guard head.method == "GET" || head.method == "HEAD" else { return nil }
        let path = head.path
        if path == "/demo/samples.json" {
            return .json(.ok, .array(LensCatalog.products.map {
                ["name": .string("\($0.brand) \($0.name)"), "url": .string("/demo/samples/\($0.id).png")]
            }))
        }
        if path == "/xjs/lens-page.js" {
            return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "text/javascript; charset=utf-8")]),
                                body: DemoAssets.pageScript)
        }
        if path.hasPrefix("/demo/samples/") && path.hasSuffix(".png") {
            let id = path.dropFirst("/demo/samples/".count).dropLast(4)
            guard let product = LensCatalog.product(String(id)) else { return nil }
            return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "image/png"), ("Cache-Control", "max-age=3600")]),
                                body: product.photo)
        }
        return nil
    }
}
