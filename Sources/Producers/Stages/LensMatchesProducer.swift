import JSON
import Pipeline

/// `lens-matches`: the photo goes to the configured visual-search providers in order (Google
/// Lens in a browser, hosted Lens APIs), each within its own time limit, until one finds
/// matches. A provider that fails is reported (`stage-error` with `provider` and `fallback`)
/// and the next one is asked. Exact matches and knowledge-graph entries, where a provider gives
/// them, are streamed as `exact-matches` and `knowledge`. When the matches do not agree on an
/// identity and the provider can take a text query, a second search refined by the best
/// candidate is made and its new matches merged.
public struct LensMatchesProducer: KeyedProducer {
    public static let key = StageKey<[LensMatch]>("lens-matches")
    let providers: [any VisualSearch]
    /// Below this title-consensus confidence the identity counts as weak (a refined search follows).
    let refineBelow: Double
    let consensus = TitleConsensus()
    /// Where inline (`data:`) thumbnails go; the event then names their URL on the gateway.
    /// Without a store (the in-process `classify`) inline thumbnails are left out of the event.
    let thumbnails: (any ThumbnailStore)?

    public init(providers: [any VisualSearch], refineBelow: Double = 0.6, thumbnails: (any ThumbnailStore)? = nil) {
        self.providers = providers
        self.refineBelow = refineBelow
        self.thumbnails = thumbnails
    }

    /// Google Lens in the browser alone (today's default).
    public init(runner: LensRunner, thumbnails: (any ThumbnailStore)? = nil) {
        self.init(providers: [BrowserLensSearch(runner: runner)], thumbnails: thumbnails)
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> [LensMatch] {
        let info = try inputs.get(ImageInfoProducer.key)
        guard let bytes = LensProfile.readFile(context.image.path, limit: max(info.bytes, 1) + 1) else {
            throw StageError(code: "image_missing", message: "the uploaded image is no longer on disk")
        }
        let query = VisualQuery(image: context.image, bytes: bytes, format: info.format.rawValue)
        var failures: [VisualSearchFailure] = []
        for (index, provider) in providers.enumerated() {
            let limit = min(provider.timeoutMillis, context.remainingMillis)
            guard limit > 0 else { break }
            do throws(VisualSearchFailure) {
                var result = try provider.search(query, timeoutMillis: limit)
                if result.isEmpty {
                    throw VisualSearchFailure(provider: provider.name, code: "visual_no_matches",
                                              message: "no visual matches", retryable: true)
                }
                if provider.refinesWithText, let text = refinementQuery(result) {
                    refine(&result, provider, query, text: text, context)
                }
                return publish(result, context)
            } catch {
                failures.append(error)
                if index + 1 < providers.count {
                    // Not the stage's failure: the next provider may answer. Clients see why.
                    var payload: JSONObject = [
                        "stage": .string(stage), "code": .string(error.code), "message": .string(error.message),
                        "retryable": .bool(error.retryable), "provider": .string(error.provider),
                        "fallback": .string(providers[index + 1].name),
                    ]
                    if !error.artifacts.isEmpty { payload["artifacts"] = .array(error.artifacts.map(JSONValue.string)) }
                    if let wait = error.retryAfterSeconds { payload["retry_after_seconds"] = .int(wait) }
                    context.emit("stage-error", .object(payload))
                }
            }
        }
        guard let last = failures.last else {
            throw StageError(code: "stage_timeout", message: "no time left for a visual search", retryable: true)
        }
        let message = failures.count == 1 ? last.message
            : "\(last.provider): \(last.message) (every visual-search provider failed: "
                + failures.map { "\($0.provider) \($0.code)" }.joined(separator: ", ") + ")"
        var error = StageError(code: last.code, message: message, retryable: failures.contains { $0.retryable }, artifacts: last.artifacts)
        error.retryAfterSeconds = last.retryAfterSeconds
        // Which providers were asked and how each ended, so a client names only those (the
        // configured ones) and words each failure itself instead of parsing `message`.
        error.fields["tried"] = .array(failures.map { failure in
            .object(["provider": .string(failure.provider), "code": .string(failure.code),
                     "message": .string(failure.message), "retryable": .bool(failure.retryable)])
        })
        throw error
    }

    /// The text for a refined search when the matches give no confident identity: the best
    /// title consensus, else the provider's knowledge-graph title. Nil when identity is strong.
    func refinementQuery(_ result: VisualSearchResult) -> String? {
        let titles = (result.exactMatches + result.matches).map(\.title)
        let found = consensus.identify(titles: titles)
        if let found, found.confidence >= refineBelow { return nil }
        if let found, !found.producer.isEmpty { return "\(found.producer) \(found.model)" }
        return result.knowledge.first?.title
    }

    /// A second search with `text`; its matches that are new are appended. A failure of the
    /// refinement keeps the first answer.
    private func refine(_ result: inout VisualSearchResult, _ provider: any VisualSearch, _ query: VisualQuery, text: String,
                        _ context: StageContext)
    {
        let limit = min(provider.timeoutMillis, context.remainingMillis)
        guard limit > 0 else { return }
        var refined = query
        refined.text = text
        guard let second = try? provider.search(refined, timeoutMillis: limit) else { return }
        let before = result.matches.count
        var seen = Set(result.matches.map(\.link))
        for var match in second.matches where !seen.contains(match.link) {
            seen.insert(match.link)
            match.position = result.matches.count + 1
            result.matches.append(match)
        }
        var seenExact = Set(result.exactMatches.map(\.link))
        for match in second.exactMatches where !seenExact.contains(match.link) {
            seenExact.insert(match.link)
            result.exactMatches.append(match)
        }
        if result.knowledge.isEmpty { result.knowledge = second.knowledge }
        context.emit("visual-refinement", ["provider": .string(provider.name), "q": .string(text),
                                           "added": .int(result.matches.count - before)])
    }

    /// Streams the events and returns what dependants read: the visual matches, then exact
    /// matches not among them (they name the same product, so identification and the shops use them).
    private func publish(_ result: VisualSearchResult, _ context: StageContext) -> [LensMatch] {
        if !result.exactMatches.isEmpty { context.emit("exact-matches", .array(result.exactMatches.map(\.json))) }
        if !result.knowledge.isEmpty { context.emit("knowledge", .array(result.knowledge.map(\.json))) }
        context.emit(stage, .array(published(result.matches, resultID: context.image.id).map(\.json)))
        var all = result.matches
        var seen = Set(all.map(\.link))
        for var match in result.exactMatches where !seen.contains(match.link) {
            seen.insert(match.link)
            match.exact = true
            match.position = all.count + 1
            all.append(match)
        }
        return all
    }

    /// The matches as the event shows them: a `data:` thumbnail is kept in the store and becomes
    /// `/results/{id}/thumbnails/{n}` (n: the match's index), or is dropped; http(s) ones stay.
    func published(_ matches: [LensMatch], resultID: String) -> [LensMatch] {
        matches.enumerated().map { index, match in
            var shown = match
            guard let inline = match.thumbnail, inline.hasPrefix("data:") else { return shown }
            shown.thumbnail = nil
            if let thumbnails, let image = Thumbnail(dataURI: inline), thumbnails.put(image, resultID: resultID, index: index) {
                shown.thumbnail = Thumbnail.path(resultID: resultID, index: index)
            }
            return shown
        }
    }
}
