import JSON

/// One answer to "what is it?" from one kind of evidence, before the floor decides.
public struct IdentityCandidate: Sendable, Equatable {
    public var producer: String
    public var model: String
    /// 0...1, on the scale the confidence floor is set in.
    public var confidence: Double
    /// `heuristic`, `llm`, `llm-photo` (other readers of the photo add theirs).
    public var method: String
    /// What the answer rests on: `visual-matches`, `llm`, `llm-photo`, and later `barcode`, `text`, ...
    public var evidence: [String]
    /// 0...1: the share of the visual matches that name this producer and model.
    public var support: Double

    public init(producer: String, model: String, confidence: Double, method: String, evidence: [String], support: Double) {
        self.producer = producer
        self.model = model
        self.confidence = confidence
        self.method = method
        self.evidence = evidence
        self.support = support
    }

    var json: JSONValue {
        ["producer": .string(producer), "model": .string(model), "support": .double(support),
         "confidence": .double(confidence), "method": .string(method)]
    }
}

/// Collects candidates from every kind of evidence consulted, in order of preference, and
/// answers with the first that reaches the confidence floor — or abstains. "A wrong answer with
/// confidence above the floor is the worst outcome": below it, nobody downstream gets a guess.
public struct IdentityDecision: Sendable {
    public let floor: Double
    public private(set) var candidates: [IdentityCandidate] = []
    /// Kinds of evidence looked at, whether or not they gave a candidate.
    public private(set) var consulted: [String] = []

    public init(floor: Double) { self.floor = floor }

    /// Notes that `evidence` was looked at (so an abstention can say what it rests on).
    public mutating func consulted(_ evidence: String) {
        if !consulted.contains(evidence) { consulted.append(evidence) }
    }

    /// Adds candidates in order of preference (earlier calls are preferred at equal standing).
    public mutating func consider(_ found: [IdentityCandidate]) {
        for candidate in found {
            candidate.evidence.forEach { consulted($0) }
            candidates.append(candidate)
        }
    }

    /// Adds `evidence` to the answer's: another reader of the photo agrees with it.
    public mutating func corroborate(with evidence: String) {
        guard let index = candidates.firstIndex(where: { $0.confidence >= floor }),
              !candidates[index].evidence.contains(evidence) else { return }
        candidates[index].evidence.append(evidence)
    }

    /// The first candidate, in order of preference, at or above the floor.
    public var answer: IdentityCandidate? { candidates.first { $0.confidence >= floor } }

    /// The best candidate below the floor, to report with an abstention.
    var bestBelowFloor: IdentityCandidate? { candidates.max { $0.confidence < $1.confidence } }

    /// The `model-producer` payload: the answer, or `producer` and `model` null with the candidates.
    func payload(noEvidenceMethod: String, extra: JSONObject = [:]) -> JSONValue {
        let ranked = candidates.enumerated().sorted { a, b in
            a.element.confidence != b.element.confidence ? a.element.confidence > b.element.confidence : a.offset < b.offset
        }.map(\.element)
        var seen: Set<String> = []
        let listed = ranked.filter { seen.insert(($0.producer + "\u{0}" + $0.model).lowercased()).inserted }.prefix(5)
        let chosen = answer ?? bestBelowFloor
        var payload: JSONObject = [
            "producer": answer.map { .string($0.producer) } ?? .null,
            "model": answer.map { .string($0.model) } ?? .null,
            "confidence": .double(chosen?.confidence ?? 0),
            "method": .string(chosen?.method ?? noEvidenceMethod),
            "candidates": .array(listed.map(\.json)),
            "evidence": .array((answer?.evidence ?? consulted).map(JSONValue.string)),
        ]
        if answer == nil { payload["floor"] = .double(floor) }
        for (key, value) in extra.entries { payload[key] = value }
        return .object(payload)
    }

    /// Why the dependants get nothing, for their `skipped` events.
    var abstentionMessage: String {
        if let best = bestBelowFloor {
            return "no identity reaches the confidence floor \(floor): the best, \(best.producer) \(best.model) (\(best.method)), has \(best.confidence)"
        }
        if consulted.isEmpty { return "no visual matches and no vision model to identify the photo" }
        return "the evidence (\(consulted.joined(separator: ", "))) names no producer and model"
    }
}
