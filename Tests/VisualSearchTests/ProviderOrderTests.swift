import JSON
import Pipeline
@testable import Producers
import TestSupport
import Testing

/// The seam: providers in order, each with its own time limit, every match naming its
/// provider, failures reported with the provider that fell back, refinement when weak.
@Suite struct ProviderOrderTests {
    let lampMatches = (1...4).map { match("Nordlys Arc Desk Lamp offer \($0)", "http://shop\($0).example/lamp", $0, provider: "first") }

    @Test func oneProviderAloneAnswersAndNamesItself() throws {
        let only = ScriptedProvider("first", .success(VisualSearchResult(matches: lampMatches)))
        let stream = try runLensStage([only])
        let matches = try #require(payloads(stream, "lens-matches").first?.arrayValue)
        #expect(matches.count == 4)
        #expect(matches.allSatisfy { $0["provider"] == "first" })
        #expect(payloads(stream, "stage-error").isEmpty)
        #expect(stream.status == .complete)
    }

    @Test func theNextProviderAnswersWhenTheFirstFailsAndTheFailureSaysSo() throws {
        let first = ScriptedProvider("google-lens", timeoutMillis: 1_234, .failure(failure("google-lens", "lens_blocked")))
        let second = ScriptedProvider("serpapi", .success(VisualSearchResult(matches: lampMatches.map {
            var m = $0
            m.provider = "serpapi"
            return m
        })))
        let stream = try runLensStage([first, second])
        let error = try #require(payloads(stream, "stage-error").first)
        #expect(error["code"] == "lens_blocked")
        #expect(error["provider"] == "google-lens")
        #expect(error["fallback"] == "serpapi")
        #expect(payloads(stream, "lens-matches").first?[0]?["provider"] == "serpapi")
        #expect(stream.status == .complete)
        // Each provider got its own time limit, not the stage's.
        #expect(first.queries.first?.limit == 1_234)
        #expect(second.queries.count == 1)
    }

    @Test func anEmptyAnswerCountsAsAFailureAndTheNextIsAsked() throws {
        let first = ScriptedProvider("a", .success(VisualSearchResult(matches: [])))
        let second = ScriptedProvider("b", .success(VisualSearchResult(matches: lampMatches)))
        let stream = try runLensStage([first, second])
        #expect(payloads(stream, "stage-error").first?["code"] == "visual_no_matches")
        #expect(payloads(stream, "lens-matches").count == 1)
    }

    @Test func whenEveryProviderFailsTheStageFailsNamingEach() throws {
        let first = ScriptedProvider("google-lens", .failure(failure("google-lens", "lens_blocked")))
        let second = ScriptedProvider("serpapi", .failure(failure("serpapi", "lens_api_failed")))
        let stream = try runLensStage([first, second])
        let errors = payloads(stream, "stage-error")
        #expect(errors.count == 2)
        #expect(errors.last?["code"] == "lens_api_failed")
        #expect(errors.last?["fallback"] == nil)
        #expect(errors.last?["message"]?.stringValue?.contains("google-lens lens_blocked") == true)
        #expect(payloads(stream, "lens-matches").isEmpty)
        #expect(stream.status == .failed || stream.status == .partial)
    }

    /// The stage's failure lists the providers asked, each with its own code, so a client names
    /// only those (a single configured provider is the only one named).
    @Test func theStageFailureListsTheProvidersTriedAndOnlyThose() throws {
        let first = ScriptedProvider("google-lens", .failure(failure("google-lens", "lens_no_matches")))
        let second = ScriptedProvider("serpapi", .failure(failure("serpapi", "lens_api_timeout")))
        let both = payloads(try runLensStage([first, second]), "stage-error").last
        let tried = both?["tried"]?.arrayValue ?? []
        #expect(tried.map { $0["provider"]?.stringValue } == ["google-lens", "serpapi"], "\(String(describing: both))")
        #expect(tried.map { $0["code"]?.stringValue } == ["lens_no_matches", "lens_api_timeout"])
        #expect(tried.allSatisfy { $0["message"]?.stringValue != nil && $0["retryable"]?.boolValue != nil })
        #expect(both?["stage"] == "lens-matches" && both?["code"] == "lens_api_timeout")

        let alone = ScriptedProvider("google-lens", .failure(failure("google-lens", "lens_no_matches")))
        let one = payloads(try runLensStage([alone]), "stage-error")
        #expect(one.count == 1)
        #expect(one.last?["tried"]?.arrayValue?.compactMap { $0["provider"]?.stringValue } == ["google-lens"], "\(one)")
    }

    @Test func theLocaleReachesTheProvider() throws {
        let only = ScriptedProvider("first", .success(VisualSearchResult(matches: lampMatches)))
        _ = try runLensStage([only], locale: RunLocale(country: "DE", language: "de"))
        #expect(only.queries.first?.locale == RunLocale(country: "DE", language: "de"))
    }

    @Test func exactMatchesAndKnowledgeAreStreamed() throws {
        let exact = [match("Nordlys Arc Desk Lamp", "http://www.nordlys.example/arc", 1, provider: "serpapi")]
        let knowledge = [KnowledgeEntry(title: "Nordlys Arc Desk Lamp", subtitle: "Desk lamp", provider: "serpapi")]
        let only = ScriptedProvider("serpapi", .success(VisualSearchResult(matches: lampMatches, exactMatches: exact, knowledge: knowledge)))
        let stream = try runLensStage([only])
        #expect(payloads(stream, "exact-matches").first?[0]?["link"] == "http://www.nordlys.example/arc")
        #expect(payloads(stream, "knowledge").first?[0]?["title"] == "Nordlys Arc Desk Lamp")
    }

    @Test func aWeakIdentityIsRefinedWithTheBestCandidateAndTheMatchesMerged() throws {
        let vague = [match("Lamp", "http://a.example/1", 1, provider: "serpapi"), match("Photo of a room", "http://b.example/2", 2, provider: "serpapi")]
        let knowledge = [KnowledgeEntry(title: "Nordlys Arc Desk Lamp", provider: "serpapi")]
        let refined = lampMatches + [vague[0]]
        let provider = ScriptedProvider("serpapi", refines: true,
                                        .success(VisualSearchResult(matches: vague, knowledge: knowledge)),
                                        .success(VisualSearchResult(matches: refined)))
        let stream = try runLensStage([provider])
        #expect(provider.queries.count == 2)
        #expect(provider.queries.last?.text == "Nordlys Arc Desk Lamp")
        let matches = try #require(payloads(stream, "lens-matches").first?.arrayValue)
        #expect(matches.count == 2 + 4)  // the vague two, then the four new ones; the repeated link once
        #expect(matches.map { $0["position"]?.intValue } == (1...6).map { $0 })
        #expect(payloads(stream, "visual-refinement").first?["added"] == 4)
    }

    @Test func aStrongIdentityIsNotRefined() throws {
        let provider = ScriptedProvider("serpapi", refines: true, .success(VisualSearchResult(matches: lampMatches)))
        _ = try runLensStage([provider])
        #expect(provider.queries.count == 1)
    }
}
