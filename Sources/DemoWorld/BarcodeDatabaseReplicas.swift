import Glibc
import HTTP
import JSON

/// Replicas of the barcode databases lens-gpt asks for a GTIN, in their published shapes, on one
/// loopback server (their paths do not overlap, so one base URL serves all three):
/// - Open Food Facts: `GET /api/v2/product/{code}.json` → `{"code", "status": 1, "status_verbose", "product": {…}}`,
///   or 404 with `{"status": 0, "status_verbose": "product not found"}`;
/// - UPCitemdb: `GET /prod/trial/lookup?upc=` (no key) and `GET /prod/v1/lookup?upc=` (headers `user_key`,
///   `key_type: 3scale`) → `{"code": "OK", "total", "offset", "items": [...]}` with `X-RateLimit-*` headers;
///   errors `{"code": "INVALID_UPC" | "TOO_FAST" | "INVALID_KEY", "message"}`;
/// - Open Library: `GET /api/books?bibkeys=ISBN:…&format=json&jscmd=data` → `{"ISBN:…": {…}}` or `{}`.
///
/// Open Food Facts knows the demo's food, UPCitemdb every catalog product (the barcode sample's
/// flask among them), Open Library the demo's book.
public final class BarcodeDatabaseReplicas: Sendable {
    public static let openFoodFacts = "openfoodfacts"
    public static let upcitemdb = "upcitemdb"
    public static let openLibrary = "openlibrary"
    /// The key the UPCitemdb replica's paid path accepts.
    public static let upcitemdbUserKey = "demo-upcitemdb-key"
    /// Requests a day on UPCitemdb's trial plan.
    static let trialLimit = 100

    /// The food Open Food Facts knows: (EAN-13, name, brand, categories, quantity).
    public static let foods: [(gtin: String, name: String, brand: String, categories: String, quantity: String)] = [
        ("7612345000015", "Rye Crispbread", "Kornmo", "Plant-based foods, Cereals and their products, Crispbreads", "250 g"),
    ]
    /// The book Open Library knows: (ISBN-13, title, subtitle, author, publisher).
    public static let books: [(isbn: String, title: String, subtitle: String, author: String, publisher: String)] = [
        ("9780306406157", "Keeping Warm", "A Field Guide to Vacuum Flasks", "Ingrid Holm", "Bergfrost Press"),
    ]

    public let replicas: APIReplicaServer

    public init(host: String = "127.0.0.1", port: Int = 0) throws {
        replicas = try APIReplicaServer(host: host, port: port, route: BarcodeDatabaseReplicas.route) { request, mode in
            switch request.provider {
            case BarcodeDatabaseReplicas.openFoodFacts: BarcodeDatabaseReplicas.openFoodFactsAnswer(request, mode)
            case BarcodeDatabaseReplicas.upcitemdb: BarcodeDatabaseReplicas.upcitemdbAnswer(request, mode)
            default: BarcodeDatabaseReplicas.openLibraryAnswer(request, mode)
            }
        }
    }

    /// The base URL of all three (`--openfoodfacts-url`, `--upcitemdb-url`, `--openlibrary-url`).
    public var baseURL: String { replicas.baseURL }
    public func setMode(_ mode: APIReplicaMode, for provider: String) { replicas.setMode(mode, for: provider) }
    public var requests: [APIReplicaRequest] { replicas.requests }
    public func shutdown() { replicas.shutdown() }

    static func route(_ path: Substring) -> String? {
        if path.hasPrefix("/api/v2/product/") && path.hasSuffix(".json") { return openFoodFacts }
        if path == "/prod/trial/lookup" || path == "/prod/v1/lookup" { return upcitemdb }
        if path == "/api/books" { return openLibrary }
        return nil
    }

    static func openFoodFactsAnswer(_ request: APIReplicaRequest, _ mode: APIReplicaMode) -> HTTPResponse {
        switch mode {
        case .rateLimited:
            return APIReplicaServer.json(APIReplicaServer.tooManyRequests, ["status": 0, "status_verbose": "too many requests"],
                                         headers: [("Retry-After", "60")])
        case .unauthorized:
            return APIReplicaServer.json(HTTPStatus(403, "Forbidden"), ["status": 0, "status_verbose": "forbidden"])
        case .normal: break
        }
        let code = String(request.path.dropFirst("/api/v2/product/".count).dropLast(".json".count))
        guard let food = foods.first(where: { $0.gtin == code || "0" + $0.gtin == code }) else {
            return APIReplicaServer.json(.notFound, ["code": .string(code), "status": 0, "status_verbose": "product not found"])
        }
        let all: JSONObject = [
            "product_name": .string(food.name), "brands": .string(food.brand), "categories": .string(food.categories),
            "quantity": .string(food.quantity), "image_url": .string("https://images.openfoodfacts.org/images/products/\(code)/front_en.3.400.jpg"),
        ]
        // `fields=` narrows the product to the fields asked for, as the real API does.
        let asked = request.parameter("fields")?.split(separator: ",").map(String.init)
        let product = JSONObject(all.entries.filter { asked?.contains($0.key) ?? true }.map { ($0.key, $0.value) })
        return APIReplicaServer.json(.ok, ["code": .string(food.gtin), "status": 1, "status_verbose": "product found", "product": .object(product)])
    }

    static func upcitemdbAnswer(_ request: APIReplicaRequest, _ mode: APIReplicaMode) -> HTTPResponse {
        let reset = String(Int(time(nil)) + 3_600)
        let paid = request.path == "/prod/v1/lookup"
        if mode == .unauthorized || (paid && (request.headers["user_key"] != upcitemdbUserKey || request.headers["key_type"] != "3scale")) {
            return APIReplicaServer.json(APIReplicaServer.unauthorized, ["code": "INVALID_KEY", "message": "Authentication failed: invalid user_key"])
        }
        if mode == .rateLimited {
            return APIReplicaServer.json(APIReplicaServer.tooManyRequests, ["code": "TOO_FAST", "message": "The API calls are too fast"],
                                         headers: [("X-RateLimit-Limit", String(trialLimit)), ("X-RateLimit-Remaining", "0"),
                                                   ("X-RateLimit-Reset", reset)])
        }
        let headers = [("X-RateLimit-Limit", String(trialLimit)), ("X-RateLimit-Remaining", String(trialLimit - 1)), ("X-RateLimit-Reset", reset)]
        guard let upc = request.parameter("upc"), [8, 12, 13, 14].contains(upc.count), upc.allSatisfy(\.isNumber) else {
            return APIReplicaServer.json(.badRequest, ["code": "INVALID_UPC", "message": "Not a valid UPC code."], headers: headers)
        }
        let unpadded = { (s: String) in String(s.drop { $0 == "0" }) }
        let items: [JSONValue] = ShopCatalog.entries.filter { unpadded($0.maker.facts.gtin) == unpadded(upc) }.map { entry in
            let facts = entry.maker.facts
            return [
                "ean": .string(facts.gtin), "title": .string("\(entry.brand) \(facts.name)"), "description": .string(facts.description),
                "upc": .string(facts.gtin.count == 13 && facts.gtin.hasPrefix("0") ? String(facts.gtin.dropFirst()) : ""),
                "brand": .string(entry.brand), "model": .string(facts.sku), "color": "", "size": "",
                "category": "Home & Garden > Kitchen & Dining",
                "images": [.string(entry.maker.url + "/image.png")],
                "offers": [["merchant": .string(entry.maker.domain), "domain": .string(entry.maker.domain), "title": .string(facts.name),
                            "currency": .string(facts.currency), "price": .number(facts.price), "link": .string(entry.maker.url),
                            "condition": "New"]],
            ]
        }
        return APIReplicaServer.json(.ok, ["code": "OK", "total": .int(items.count), "offset": 0, "items": .array(items)], headers: headers)
    }

    static func openLibraryAnswer(_ request: APIReplicaRequest, _ mode: APIReplicaMode) -> HTTPResponse {
        switch mode {
        case .rateLimited:
            return APIReplicaServer.json(APIReplicaServer.tooManyRequests, ["error": "rate limited"], headers: [("Retry-After", "30")])
        case .unauthorized:
            return APIReplicaServer.json(HTTPStatus(403, "Forbidden"), ["error": "forbidden"])
        case .normal: break
        }
        guard request.parameter("format") == "json", request.parameter("jscmd") == "data" else {
            return APIReplicaServer.json(.badRequest, ["error": "this replica answers format=json&jscmd=data only"])
        }
        var out = JSONObject()
        for key in (request.parameter("bibkeys") ?? "").split(separator: ",").map(String.init) {
            guard key.hasPrefix("ISBN:"), let book = books.first(where: { $0.isbn == key.dropFirst(5) }) else { continue }
            let olid = "OL\(book.isbn.suffix(7))M"
            out[key] = [
                "url": .string("https://openlibrary.org/books/\(olid)/keeping-warm"), "key": .string("/books/\(olid)"),
                "title": .string(book.title), "subtitle": .string(book.subtitle),
                "authors": [["url": "https://openlibrary.org/authors/OL1A/ingrid-holm", "name": .string(book.author)]],
                "publishers": [["name": .string(book.publisher)]], "publish_date": "2024",
                "identifiers": ["isbn_13": [.string(book.isbn)]],
                "cover": ["small": .string("https://covers.openlibrary.org/b/id/1-S.jpg"),
                          "medium": .string("https://covers.openlibrary.org/b/id/1-M.jpg"),
                          "large": .string("https://covers.openlibrary.org/b/id/1-L.jpg")],
            ]
        }
        return APIReplicaServer.json(.ok, .object(out))
    }
}
