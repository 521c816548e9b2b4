import HTTP
import JSON
import Synchronization

/// The offline world lens-gpt can run against, served by our own HTTP server on loopback: the
/// Lens replica and its sample photos at `baseURL`, and a web of `.example` shops,
/// marketplaces and a web search for which the same server is the HTTP forward proxy
/// (`proxyURL`): requests for them arrive in absolute form (`GET http://www.nordlys.example/…`).
public final class DemoWorld: Sendable {
    public let server: HTTPServer
    public let stats = LensReplicaStats()
    public let host: String
    /// Faults switched on (`--demo-faults`) or by tests at any time.
    public let faults: DemoFaults
    /// The hosted Lens API replica at `hostedLensURL`.
    public let hostedLens: HostedLensReplica
    /// eBay's Browse API replica at `ebayAPIURL`.
    public let ebayAPI: EbayAPIReplica
    /// The consent cookie (`SOCS=<value>`) the Lens replica accepts: what a per-provider cookie
    /// setting would carry.
    public let consentCookieValue: String
    /// The query strings the Lens replica's start page was opened with (where `hl`/`gl` arrive).
    private let lensStarts: LockedList
    public var lensStartQueries: [String] { lensStarts.items }
    /// The `.example` web, also shown to people's browsers through the gateway (`DemoWorld+Gateway`).
    let shops: ShopSites

    /// Starts serving on `host:port` (port 0: a free one).
    /// `hangingListing`: the eBay-like search also lists `ShopCatalog.hangingListingURL`, a
    /// listing that never answers (that URL never answers either way).
    /// `cardIntervalMillis`: the replica's cards arrive one by one this far apart (13 cards a
    /// product: about a second in all, as on the real page).
    public init(host: String = "127.0.0.1", port: Int = 0, cardIntervalMillis: Int = 80, hangingListing: Bool = false,
                faults: Set<DemoFault> = []) throws
    {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loopCount = 1
        var token = ""
        for _ in 0..<16 { token += String(UInt8.random(in: 0...255), radix: 16) }
        let replica = LensReplica(stats: stats, consentToken: token, cardIntervalMillis: cardIntervalMillis)
        let shops = ShopSites(hangingListing: hangingListing)
        self.host = host
        consentCookieValue = token
        let faults = DemoFaults(faults)
        self.faults = faults
        // The replica names thumbnails by this server's address, known once it listens.
        let base = Mutex("")
        let hosted = HostedLensReplica(faults: faults) { base.withLock { $0 } }
        let lensStarts = LockedList()
        self.lensStarts = lensStarts
        hostedLens = hosted
        let ebay = EbayAPIReplica()
        ebayAPI = ebay
        self.shops = shops
        server = try HTTPServer(configuration: configuration) { _, _ in
            // Room for a photo sent as base64 to the eBay API replica's search by image.
            BufferedRequestHandler(maxBodyBytes: 32 << 20) { head, body, writer in
                if head.method == "CONNECT" {
                    // No TLS tunnels: the demo web is plain http, so a browser trying https first falls back.
                    writer.send(.error(HTTPStatus(502, "Bad Gateway"), code: "no_tunnel", message: "the demo world proxies http only"))
                    return
                }
                if let request = DemoWorld.shopRequest(head) {
                    if let faulted = faults.shopOverride(host: request.host, path: request.path) {
                        writer.send(faulted)
                        return
                    }
                    switch shops.answer(host: request.host, path: request.path, query: request.query) {
                    case .page(let response): writer.send(faults.rewriteShop(host: request.host, path: request.path, response))
                    case .hang: break  // never answered; the loop stays free for everyone else
                    }
                    return
                }
                if head.absoluteAuthority != nil {
                    // Proxied to a site the demo web does not have (its own pages are asked for by path).
                    writer.send(.error(.notFound, code: "not_found", message: "no such site in the demo world"))
                    return
                }
                if head.path == DemoWorld.faultsPath {
                    writer.send(faults.switchResponse(head))
                    return
                }
                if head.path == DemoWorld.ecbPath {
                    writer.send(DemoWorld.ecbResponse())
                    return
                }
                if head.path == "/" && head.method == "GET" {
                    let query = head.query.map(String.init) ?? ""
                    lensStarts.append(query)
                }
                if let answer = ebay.response(head, body: body) {
                    writer.send(answer)
                    return
                }
                if head.path == HostedLensReplica.path {
                    hosted.answer(head, writer)
                    return
                }
                if head.path.hasPrefix(DemoWorld.downLLMPrefix) {
                    writer.send(.json(HTTPStatus(503, "Service Unavailable"),
                                      ["error": ["message": "The demo LLM is down (demo fault llm-down).", "type": "server_error"]]))
                    return
                }
                if let faulted = faults.lensOverride(head) {
                    writer.send(faulted)
                    return
                }
                writer.send(DemoWorld.sampleResponse(head) ?? replica.response(head, body: body).map { faults.rewriteLens(head, $0) }
                    ?? .error(.notFound, code: "not_found", message: "no such page in the demo world"))
            }
        }
        let address = baseURL
        base.withLock { $0 = address }
    }

    /// The hosted Lens API replica's endpoint (what `--hosted-lens-url` takes).
    public var hostedLensURL: String { baseURL + HostedLensReplica.path }

    /// The eBay Browse API replica's base URL (what `LENS_GPT_EBAY_API_URL` takes).
    public var ebayAPIURL: String { baseURL + EbayAPIReplica.prefix }

    /// The run-time fault switch: `POST /demo/faults?ebay-layout-changed=off`.
    static let faultsPath = "/demo/faults"
    public var faultsURL: String { baseURL + DemoWorld.faultsPath }

    static let downLLMPrefix = "/llm-down/"
    /// An OpenAI-compatible base URL that answers every request with 503 (the `llm-down` fault).
    public var downLLMBaseURL: String { baseURL + DemoWorld.downLLMPrefix + "v1" }

    public var port: Int { server.port }
    public var baseURL: String { "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" }

    /// The start URL of a replica variant (what `--lens-url` takes).
    public func lensURL(_ variant: LensVariant = .normal) -> String { baseURL + variant.prefix + "/" }

    /// The HTTP proxy through which the fetcher and the browser reach the `.example` web.
    public var proxyURL: String { baseURL }

    public func shutdown() { server.shutdown() }

    /// A request for the shop web: absolute form (as proxies receive them) or a `Host` header
    /// naming an `.example` site.
    static func shopRequest(_ head: HTTPRequestHead) -> (host: String, path: String, query: String?)? {
        var host: String
        var rest: Substring
        if head.target.hasPrefix("http://") {
            let afterScheme = head.target.dropFirst("http://".count)
            let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            host = String(afterScheme[..<slash])
            rest = afterScheme[slash...]
        } else {
            guard let named = head.headers.values("Host").first else { return nil }
            host = named
            rest = head.target[...]
        }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        host = host.lowercased()
        guard ShopSites.serves(host) else { return nil }
        if rest.isEmpty { rest = "/" }
        let fragmentless = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? rest
        let parts = fragmentless.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return (host, String(parts.first ?? "/"), parts.count > 1 ? String(parts[1]) : nil)
    }

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

/// Strings appended from the server's loop and read by tests.
final class LockedList: Sendable {
    private let list = Mutex<[String]>([])
    func append(_ item: String) { list.withLock { $0.append(item) } }
    var items: [String] { list.withLock { $0 } }
}
