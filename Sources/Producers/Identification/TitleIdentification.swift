import JSON

/// Identification from titles alone, as `lens-gpt identify` offers it: the same consensus and
/// floor as `model-producer`'s heuristic method, on titles given one per line.
public enum TitleIdentification {
    /// One title per line, optionally followed by a TAB and the domain (or site) it came from;
    /// blank lines are skipped.
    public static func titles(fromLines text: String) -> [TitleConsensus.Title] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let title = String(parts[0]).trimmedSpaces
            guard !title.isEmpty else { return nil }
            let site = parts.count > 1 ? String(parts[1]).trimmedSpaces : ""
            return TitleConsensus.Title(title, site: site.isEmpty ? nil : site)
        }
    }

    /// `{"producer", "model", "confidence", "method", "candidates", "evidence"}`; producer and
    /// model are null when no candidate reaches `floor` (then `floor` is given too).
    public static func identify(_ titles: [TitleConsensus.Title], floor: Double = IdentificationProducer.defaultFloor) -> JSONValue {
        var decision = IdentityDecision(floor: floor)
        if !titles.isEmpty { decision.consulted("visual-matches") }
        decision.consider(TitleConsensus().candidates(titles).map {
            IdentityCandidate(producer: $0.producer, model: $0.model, confidence: $0.confidence, method: "heuristic",
                              evidence: ["visual-matches"], support: $0.support)
        })
        return decision.payload(noEvidenceMethod: "heuristic")
    }
}
