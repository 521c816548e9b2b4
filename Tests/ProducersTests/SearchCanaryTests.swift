import Testing
import Pipeline
@testable import Producers

/// What one canary search says about its profile: `ok` only for results read with the profile's
/// own selectors; every other outcome is `degraded` with its reason.
struct SearchCanaryTests {
    static let hit = SearchHit(title: "Nintendo Switch OLED", link: "https://www.ebay.com/itm/123456789012", priceText: "$250.00")

    @Test func eachOutcomeHasItsReason() {
        func outcome(_ state: SearchState, hits: [SearchHit] = [], degraded: Bool = false) -> Result<SearchOutcome, StageError> {
            .success(SearchOutcome(state: state, hits: hits, blockedAt: "https://www.ebay.com/sch/i.html", artifacts: [], degraded: degraded))
        }
        #expect(SearchCanary.judge(outcome(.results, hits: [Self.hit])).reason == nil)
        #expect(SearchCanary.judge(outcome(.results, hits: [Self.hit])).results == 1)
        #expect(SearchCanary.judge(outcome(.results, hits: [Self.hit], degraded: true)).reason == "degraded")
        #expect(SearchCanary.judge(outcome(.blocked)).reason == "blocked")
        #expect(SearchCanary.judge(outcome(.unrecognized)).reason == "unrecognized")
        let empty = SearchCanary.judge(outcome(.empty))
        #expect(empty.reason == "empty" && empty.message == "empty where results were expected")
        #expect(SearchCanary.judge(outcome(.results)).reason == "empty", "results with nothing read are no results")
        let timeout = SearchCanary.judge(.failure(StageError(code: "search_timeout", message: "ebay: no results within 8000 ms")))
        #expect(timeout.reason == "failed" && timeout.code == "search_timeout")
    }
}
