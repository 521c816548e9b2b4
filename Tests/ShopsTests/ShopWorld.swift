import DemoWorld
import JSON
import Synchronization
import Testing
@testable import Producers

/// One demo world (with the hanging listing in its eBay search) for the shop tests.
enum ShopWorld {
    static let shared: Result<DemoWorld, any Error> = Result { try DemoWorld(hangingListing: true) }

    static func get() throws -> DemoWorld { try shared.get() }

    static func pages(timeoutMillis: Int = 5_000) throws -> ProxyPageSource {
        ProxyPageSource(proxyURL: try get().proxyURL, timeoutMillis: timeoutMillis)
    }

    /// The Lens matches the replica shows for a product, as the Lens stage reports them.
    static func lensMatches(_ productID: String) throws -> [LensMatch] {
        let product = try #require(LensCatalog.product(productID))
        return product.matches.enumerated().compactMap { index, spec in
            var raw: JSONObject = ["title": .string(spec.title), "link": .string(spec.link), "source": .string(spec.source)]
            if let price = spec.priceText { raw["price"] = .string(price) }
            return LensMatch(raw: .object(raw), position: index + 1)
        }
    }

    /// What `model-producer` reports for a catalog product.
    static func identity(_ entry: ShopEntry) -> ProductIdentity {
        ProductIdentity(producer: entry.brand, model: entry.name, confidence: 0.9, method: "heuristic")
    }
}

/// An LLM stand-in with one fixed answer per schema, which records what it was asked.
final class StubChat: StructuredChat {
    let answers: [String: JSONValue]
    let asked = Mutex<[(schema: String, user: String)]>([])

    init(_ answers: [String: JSONValue]) { self.answers = answers }

    func complete(system: String, user: String, schemaName: String, schema: JSONValue) throws -> JSONValue {
        asked.withLock { $0.append((schemaName, user)) }
        guard let answer = answers[schemaName] else { throw StubFailure() }
        return answer
    }

    var questions: [(schema: String, user: String)] { asked.withLock { $0 } }

    struct StubFailure: Error {}
}

/// A search that returns fixed hits.
struct FixedSearch: SearchService {
    let name = "fixed"
    let hits: [SearchHit]
    func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] { hits }
}
