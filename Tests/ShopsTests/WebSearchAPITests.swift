import DemoWorld
import Pipeline
import Synchronization
import Testing
@testable import Producers

/// The web-search APIs against their replicas (results in order, nothing found, 429, a refused
/// key) and in a chain before a result-page profile, which answers when the API cannot.
@Suite struct WebSearchAPITests {
    /// A result-page search stand-in that records whether it was asked.
    final class PageSearch: SearchService {
        let name = "duckduckgo"
        let asked = Mutex(0)
        func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
            asked.withLock { $0 += 1 }
            return [SearchHit(title: "From the results page", link: "http://page.example/")]
        }
    }

    static let query = "Bergfrost Summit Vacuum Flask"

    @Test func braveFindsInOrderWithItsTokenHeader() throws {
        let replicas = try WebSearchAPIReplicas()
        defer { replicas.shutdown() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let brave = BraveSearchAPI(base: replicas.baseURL, key: WebSearchAPIReplicas.braveKey, count: 20)
        let hits = try brave.results(WebSearchAPITests.query, timeoutMillis: 5_000)
        #expect(hits.count == 5)
        #expect(hits.contains { $0.link == entry.maker.url && $0.title == entry.maker.title && $0.snippet == entry.maker.facts.description })
        #expect(hits.first?.link.contains("nordicliving.example") == true, "the replica's first result comes first")
        let request = try #require(replicas.requests.first)
        #expect(request.headers["X-Subscription-Token"] == WebSearchAPITests.braveKey)
        #expect(request.parameter("q") == WebSearchAPITests.query)
        #expect(request.parameter("count") == "20")
        // Nothing found: `web` is absent, and that is an empty answer, not a failure.
        #expect(try brave.results("zzz nothing like it", timeoutMillis: 5_000) == [])
    }

    static var braveKey: String { WebSearchAPIReplicas.braveKey }

    @Test func braveRateLimitAndRefusedKey() throws {
        let replicas = try WebSearchAPIReplicas()
        defer { replicas.shutdown() }
        replicas.setMode(.rateLimited, for: WebSearchAPIReplicas.brave)
        let brave = BraveSearchAPI(base: replicas.baseURL, key: WebSearchAPIReplicas.braveKey)
        let limited = #expect(throws: WebAPIFailure.self) { try brave.results(WebSearchAPITests.query, timeoutMillis: 5_000) }
        #expect(limited?.code == "api_rate_limited")
        #expect(limited?.retryable == true)
        #expect(limited?.retryAfterSeconds == 1)
        #expect(limited?.message.contains("RATE_LIMITED") == true)

        let wrong = BraveSearchAPI(base: replicas.baseURL, key: "wrong-key")
        replicas.setMode(.normal, for: WebSearchAPIReplicas.brave)
        let refused = #expect(throws: WebAPIFailure.self) { try wrong.results(WebSearchAPITests.query, timeoutMillis: 5_000) }
        #expect(refused?.code == "api_unauthorized")
        #expect(refused?.retryable == false)
        #expect(refused?.message.contains("wrong-key") == false)
    }

    @Test func googleCSEFindsInOrderAndKeepsItsKeyOutOfMessages() throws {
        let replicas = try WebSearchAPIReplicas()
        defer { replicas.shutdown() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let google = GoogleCSESearch(base: replicas.baseURL, key: WebSearchAPIReplicas.googleKey, engineID: WebSearchAPIReplicas.googleEngineID)
        let hits = try google.results(WebSearchAPITests.query, timeoutMillis: 5_000)
        let brave = try BraveSearchAPI(base: replicas.baseURL, key: WebSearchAPIReplicas.braveKey).results(WebSearchAPITests.query, timeoutMillis: 5_000)
        #expect(hits.map(\.link) == brave.map(\.link), "both replicas rank the demo web alike")
        #expect(hits.contains { $0.link == entry.maker.url })
        let request = try #require(replicas.requests.first)
        #expect(request.parameter("key") == WebSearchAPIReplicas.googleKey)
        #expect(request.parameter("cx") == WebSearchAPIReplicas.googleEngineID)
        #expect(request.parameter("num") == "10")
        #expect(try google.results("zzz nothing like it", timeoutMillis: 5_000) == [])

        let wrong = GoogleCSESearch(base: replicas.baseURL, key: "secret-wrong-key", engineID: WebSearchAPIReplicas.googleEngineID)
        let refused = #expect(throws: WebAPIFailure.self) { try wrong.results(WebSearchAPITests.query, timeoutMillis: 5_000) }
        #expect(refused?.code == "api_unauthorized")
        #expect(refused?.description.contains("secret-wrong-key") == false)

        replicas.setMode(.rateLimited, for: WebSearchAPIReplicas.googleCSE)
        let limited = #expect(throws: WebAPIFailure.self) { try google.results(WebSearchAPITests.query, timeoutMillis: 5_000) }
        #expect(limited?.code == "api_rate_limited")
        #expect(limited?.message.contains("RESOURCE_EXHAUSTED") == true)
        #expect(limited?.message.contains(WebSearchAPIReplicas.googleKey) == false)

        // The transport's own message (here: nothing listening) names the URL without the key.
        let port = try FreePort.closed()
        let offline = GoogleCSESearch(base: "http://127.0.0.1:\(port)", key: "secret-offline-key", engineID: "x")
        let unreachable = #expect(throws: WebAPIFailure.self) { try offline.results("q", timeoutMillis: 3_000) }
        #expect(unreachable?.code == "network_unavailable")
        #expect(unreachable?.message.contains("secret-offline-key") == false, "\(String(describing: unreachable))")
    }

    @Test func theAPIComesFirstAndThePageProfileAnswersWhenItFails() throws {
        let replicas = try WebSearchAPIReplicas()
        defer { replicas.shutdown() }
        let entry = try #require(ShopCatalog.entry("vacuum-flask"))
        let page = PageSearch()
        let chain = SearchChain([BraveSearchAPI(base: replicas.baseURL, key: WebSearchAPIReplicas.braveKey), page])
        let first = try chain.search(WebSearchAPITests.query, timeoutMillis: 10_000)
        #expect(first.contains { $0.link == entry.maker.url })
        #expect(page.asked.withLock { $0 } == 0, "the page profile is not asked when the API answers")

        replicas.setMode(.rateLimited, for: WebSearchAPIReplicas.brave)
        let fallback = try chain.search(WebSearchAPITests.query, timeoutMillis: 10_000)
        #expect(fallback.map(\.link) == ["http://page.example/"])
        #expect(page.asked.withLock { $0 } == 1)

        // Both failing: one error naming the API's rate limit.
        let lone = SearchChain([BraveSearchAPI(base: replicas.baseURL, key: WebSearchAPIReplicas.braveKey),
                                GoogleCSESearch(base: replicas.baseURL, key: "bad", engineID: "x")])
        let failure = #expect(throws: StageError.self) { try lone.search(WebSearchAPITests.query, timeoutMillis: 10_000) }
        #expect(failure?.message.contains("api_rate_limited") == true, "\(String(describing: failure))")
        #expect(failure?.message.contains("api_unauthorized") == true)
    }
}
