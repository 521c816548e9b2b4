import JSON
import Pipeline

/// `classify --format summary|json`: the result stream for people, or as one JSON object.
enum ClassifySummary {
    static func payload(_ event: ResultEvent) -> JSONValue {
        (try? JSONParser.parse(event.envelope))?["data"] ?? .null
    }

    /// One line for a result, a failure or the end; nil for progress that says nothing new.
    static func line(_ event: ResultEvent) -> String? {
        let data = payload(event)
        func text(_ key: String) -> String { data[key].map(plain) ?? "" }
        switch event.name {
        case "progress":
            return nil
        case "stage-error":
            let how = data["fallback"] != nil ? "fell back to \(text("fallback"))" : "failed"
            return "✗ \(text("stage")) \(how): \(text("message")) [\(text("code"))]"
        case "done":
            return "= \(text("status")) in \(text("elapsed_ms")) ms"
        case "image-info":
            return "✓ photo: \(text("format").uppercased()) \(text("width"))×\(text("height")), \(text("bytes")) bytes"
        case "lens-matches":
            let matches = data.arrayValue ?? []
            return "✓ visual matches: \(matches.count)" + (matches.first.map { ", first: \($0["title"].map(plain) ?? "")" } ?? "")
        case "model-producer":
            return "✓ it is: \(text("producer")) \(text("model")) (confidence \(text("confidence")), \(text("method")))"
        case "producer-url":
            return "✓ maker's page: \(text("link"))"
        case "retail-price-details":
            return "✓ retail: \(text("price")) \(text("currency")) — \(text("original_name"))"
        case "second-hand-offers":
            let offers = data.arrayValue ?? []
            let prices = offers.prefix(5).map { "\($0["price"].map(plain) ?? "") \($0["currency"].map(plain) ?? "")" }
            return "✓ second-hand offers: \(offers.count)" + (prices.isEmpty ? "" : " (\(prices.joined(separator: ", "))\(offers.count > 5 ? ", …" : ""))")
        case "estimated-price":
            return "✓ worth: \(text("price")) \(text("currency")) (\(text("min_range"))–\(text("max_range")), certainty \(text("certainty")))"
        default:
            // A stage this summary does not know: its payload, shortened.
            return "✓ \(event.name): \(String(data.serialized().prefix(160)))"
        }
    }

    /// `{"id", "status", "result": {event: latest payload}, "errors": [stage-error payloads]}`.
    static func json(id: String, status: String, events: [ResultEvent]) -> JSONValue {
        var result = JSONObject()
        var errors: [JSONValue] = []
        for event in events {
            switch event.name {
            case "progress", "done": continue
            case "stage-error": errors.append(payload(event))
            default: result[event.name] = payload(event)
            }
        }
        return ["id": .string(id), "status": .string(status), "result": .object(result), "errors": .array(errors)]
    }

    private static func plain(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return "?"
        default: return value.serialized()
        }
    }
}
