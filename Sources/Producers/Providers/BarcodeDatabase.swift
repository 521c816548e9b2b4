import JSON
import Pipeline
import Synchronization

/// A product a barcode database names for a GTIN.
public struct BarcodeProduct: Sendable, Equatable {
    /// The database: `openfoodfacts`, `upcitemdb`, `openlibrary`.
    public var source: String
    public var name: String
    public var brand: String?
    public var model: String?
    public var category: String?
    public var image: String?
    /// The product's page on the database's site.
    public var link: String?

    public init(source: String, name: String, brand: String? = nil, model: String? = nil, category: String? = nil,
                image: String? = nil, link: String? = nil)
    {
        self.source = source
        self.name = name
        self.brand = brand
        self.model = model
        self.category = category
        self.image = image
        self.link = link
    }

    /// `{"source", "name", "brand", "model", "category", "image", "link"}`, null where unknown.
    public var json: JSONValue {
        ["source": .string(source), "name": .string(name), "brand": .optional(brand), "model": .optional(model),
         "category": .optional(category), "image": .optional(image), "link": .optional(link)]
    }

    /// Maker and model for identification: the brand (or, for a book, its author) and the name
    /// without the brand in front (the name as sold searches better than a model number).
    public var identity: ProductIdentity? {
        guard let producer = brand?.trimmedSpaces.nonEmpty else { return nil }
        var model = name
        if model.lowercased().hasPrefix(producer.lowercased() + " ") { model = String(model.dropFirst(producer.count + 1)) }
        guard let named = model.trimmedSpaces.nonEmpty else { return nil }
        return ProductIdentity(producer: producer, model: named, confidence: 0.95, method: "heuristic")
    }
}

/// A database that names products by GTIN.
public protocol BarcodeDatabase: Sendable {
    var name: String { get }
    /// Whether it knows numbers like this one (Open Library: ISBNs only).
    func covers(_ gtin: String) -> Bool
    /// The products it names for `gtin` (14 digits), `[]` when it does not know the number.
    func lookup(_ gtin: String, timeoutMillis: Int) throws(WebAPIFailure) -> [BarcodeProduct]
}

/// The barcode databases asked in order for a GTIN, their answers cached per GTIN (bounded, with
/// a time to live) so that the same barcode photographed again costs no requests.
public final class BarcodeLookup: Sendable {
    public let databases: [any BarcodeDatabase]
    public let limits: Limits
    private let cache: Mutex<[String: (products: [BarcodeProduct], at: Int)]>

    public struct Limits: Sendable {
        /// GTINs whose answers are kept (`--barcode-cache-entries`).
        public var cacheEntries = 1_000
        /// Seconds an answer is kept (`--barcode-cache-seconds`).
        public var cacheSeconds = 86_400
        /// Time the databases may take together for one GTIN (`--barcode-lookup-timeout-ms`).
        public var timeoutMillis = 10_000
        public init() {}
    }

    public init(databases: [any BarcodeDatabase], limits: Limits = Limits()) {
        self.databases = databases
        self.limits = limits
        cache = Mutex([:])
    }

    /// What every database asked said, in the databases' order.
    public struct Result: Sendable {
        public var products: [BarcodeProduct]
        /// Databases that could not answer (rate limit, key, network): not cached, tried again next time.
        public var failures: [WebAPIFailure]
    }

    /// Asks every database that covers `gtin` (14 digits) and keeps what they name. A database that
    /// fails leaves the others; an answer (even "unknown") from all of them is cached.
    public func lookup(_ gtin: String, timeoutMillis: Int) -> Result {
        let now = WebAPICall.wallSeconds()
        if let cached = cache.withLock({ $0[gtin] }), now - cached.at < limits.cacheSeconds {
            return Result(products: cached.products, failures: [])
        }
        let deadline = Clock.millis() + timeoutMillis
        var products: [BarcodeProduct] = []
        var failures: [WebAPIFailure] = []
        for database in databases where database.covers(gtin) {
            let left = deadline - Clock.millis()
            guard left > 0 else {
                failures.append(WebAPIFailure(provider: database.name, code: "api_failed", message: "no time left to ask", retryable: true))
                continue
            }
            do {
                products += try database.lookup(gtin, timeoutMillis: left)
            } catch {
                failures.append(error)
            }
        }
        if failures.isEmpty && limits.cacheEntries > 0 { store(gtin, products, now: now) }
        return Result(products: products, failures: failures)
    }

    private func store(_ gtin: String, _ products: [BarcodeProduct], now: Int) {
        cache.withLock { entries in
            if entries.count >= limits.cacheEntries {
                // Expired answers go first; when none has, the oldest does.
                entries = entries.filter { now - $0.value.at < limits.cacheSeconds }
                while entries.count >= limits.cacheEntries, let oldest = entries.min(by: { $0.value.at < $1.value.at })?.key {
                    entries[oldest] = nil
                }
            }
            entries[gtin] = (products, now)
        }
    }

    /// The GTIN as the databases index it: an EAN-8 as its 8 digits, anything else as the
    /// 13-digit EAN (a UPC-A with its leading 0), from the 14-digit form.
    static func shortForm(_ gtin: String) -> String {
        if gtin.count == 14 && gtin.hasPrefix("000000") { return String(gtin.dropFirst(6)) }
        return gtin.count == 14 && gtin.hasPrefix("0") ? String(gtin.dropFirst()) : gtin
    }
}
