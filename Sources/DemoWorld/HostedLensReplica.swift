import Dispatch
import EventLoop
import HTTP
import JSON
import Outbound
import Synchronization

/// What the hosted-Lens replica was asked, so tests can check the request's shape.
public struct HostedLensRequest: Sendable, Equatable {
    public var engine: String?
    public var url: String?
    public var hl: String?
    public var country: String?
    public var type: String?
    public var q: String?
    public var apiKey: String?
    /// The status the photo URL answered with (nil: never fetched).
    public var photoStatus: Int?
}

/// A hosted Lens API in SerpApi's shape on loopback (`GET /serpapi/search.json`): it checks the
/// key, FETCHES the photo from the URL it is given (as the real service does, so the signed
/// photo URL is exercised for real), recognises a demo catalog photo by its bytes and answers
/// with `visual_matches`, `exact_matches` and `knowledge_graph`.
public final class HostedLensReplica: Sendable {
    public static let path = "/serpapi/search.json"
    /// The key the replica accepts (`SERPAPI_API_KEY` in demo mode).
    public static let apiKey = "demo-serpapi-key"

    let faults: DemoFaults
    let baseURL: @Sendable () -> String
    private let http = HTTPClient()
    private let log = Mutex<[HostedLensRequest]>([])
    /// When on, a search without `q` gets only vague matches and a knowledge-graph title (a
    /// weak identity), and a search with `q` the full answer: for tests of the refinement.
    public let vagueWithoutQuery = Atomic(false)

    init(faults: DemoFaults, baseURL: @escaping @Sendable () -> String) {
        self.faults = faults
        self.baseURL = baseURL
    }

    /// Every request so far, oldest first.
    public var requests: [HostedLensRequest] { log.withLock { $0 } }

    /// Answers off the loop thread: fetching the photo blocks, the loop must not.
    func answer(_ head: HTTPRequestHead, _ writer: HTTPResponseWriter) {
        let bound = LoopBound(writer, loop: writer.loop)
        let query = Escape.form(head.query)
        DispatchQueue.global().async { [self] in
            let response = respond(query)
            bound.loop.execute { bound.value.send(response) }
        }
    }

    func respond(_ query: [(String, String)]) -> HTTPResponse {
        func param(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        var request = HostedLensRequest(engine: param("engine"), url: param("url"), hl: param("hl"), country: param("country"),
                                        type: param("type"), q: param("q"), apiKey: param("api_key"))
        defer { log.withLock { $0.append(request) } }
        if faults.isOn(.lensAPIDown) {
            return .json(HTTPStatus(503, "Service Unavailable"), ["error": "The service is temporarily unavailable. Please retry later."])
        }
        guard request.apiKey == HostedLensReplica.apiKey else {
            return .json(HTTPStatus(401, "Unauthorized"), ["error": "Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key"])
        }
        guard request.engine == "google_lens" else {
            return .json(.badRequest, ["error": .string("Unsupported `\(request.engine ?? "")` search engine.")])
        }
        guard let url = request.url, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return .json(.badRequest, ["error": "Missing query `url` parameter."])
        }
        let photo: HTTPClientResponse
        do {
            photo = try http.send(HTTPClientRequest(url: url, timeoutMillis: 5_000, maxResponseBytes: 20 << 20))
        } catch {
            return .json(.badRequest, ["error": .string("Couldn't download the image at `url`: \(error)")])
        }
        request.photoStatus = photo.status
        guard photo.status == 200 else {
            return .json(.badRequest, ["error": .string("Couldn't download the image at `url` (HTTP \(photo.status)).")])
        }
        guard let product = LensCatalog.products.first(where: { $0.photo == photo.body }) else {
            return .json(.ok, ["search_metadata": ["status": "Success"],
                               "error": "Google Lens hasn't returned any results for this query."])
        }
        return .json(.ok, body(product, request))
    }

    private func body(_ product: LensProduct, _ request: HostedLensRequest) -> JSONValue {
        let vague = vagueWithoutQuery.load(ordering: .relaxed) && (request.q ?? "").isEmpty
        let thumbnail = baseURL() + "/demo/samples/\(product.id).png"
        let visual: [JSONValue] = product.matches.enumerated().map { index, match in
            var item: JSONObject = [
                "position": .int(index + 1),
                "title": .string(vague ? "Photo \(index + 1)" : match.title),
                "link": .string(match.link),
                "source": .string(match.source),
                "thumbnail": .string(thumbnail),
            ]
            if let text = match.priceText, let amount = match.price {
                item["price"] = ["value": .string(text), "extracted_value": .number(amount),
                                 "currency": .string(String(text.prefix { !$0.isNumber && $0 != " " }))]
                item["in_stock"] = true
            }
            return .object(item)
        }
        var object: JSONObject = [
            "search_metadata": ["status": "Success", "google_lens_url": .string("https://lens.google.com/uploadbyurl?url=" + Escape.component(request.url ?? ""))],
            "search_parameters": ["engine": "google_lens", "url": .string(request.url ?? ""), "hl": .string(request.hl ?? "en"),
                                  "country": .string(request.country ?? "us"), "type": .string(request.type ?? "all")],
            "knowledge_graph": [["title": .string("\(product.brand) \(product.name)"), "subtitle": "Product",
                                 "thumbnail": .string(thumbnail)]],
            "visual_matches": .array(vague ? Array(visual.prefix(2)) : visual),
        ]
        // The pages showing this very photo: the first two shops of the catalog's matches.
        if !vague { object["exact_matches"] = .array(Array(visual.prefix(2))) }
        return .object(object)
    }
}
