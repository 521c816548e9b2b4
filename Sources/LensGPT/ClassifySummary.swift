import Foundation
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
            return identity(data)
        case "barcodes":
            return barcodes(data.arrayValue ?? [])
        case "photo-text":
            return photoText(data)
        case "producer-url":
            return "✓ maker's page: \(text("link"))"
        case "retail-price-details":
            return "✓ retail: \(text("price")) \(text("currency")) — \(text("original_name"))"
        case "second-hand-offers":
            return offers(data.arrayValue ?? [])
        case "estimated-price":
            return estimate(data)
        default:
            // A stage this summary does not know: its payload, shortened.
            return "✓ \(event.name): \(String(data.serialized().prefix(160)))"
        }
    }

    /// The identity, or for an abstention that nothing was identified and the best candidates.
    static func identity(_ data: JSONValue) -> String {
        let confidence = data["confidence"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "?"
        if let producer = data["producer"]?.stringValue, let model = data["model"]?.stringValue {
            let method = data["method"].map(plain) ?? "?"
            let source = data["source"]?.stringValue.map { ", from \($0)" } ?? ""
            return "✓ it is: \(producer) \(model) (confidence \(confidence), \(method)\(source))"
        }
        let candidates = (data["candidates"]?.arrayValue ?? []).prefix(3).compactMap { candidate -> String? in
            let name = [candidate["producer"]?.stringValue, candidate["model"]?.stringValue].compactMap { $0 }.joined(separator: " ")
            guard !name.isEmpty else { return nil }
            return name + (candidate["confidence"]?.doubleValue.map { String(format: " (%.2f)", $0) } ?? "")
        }
        var line = "? not identified: no evidence reached the confidence floor"
            + (data["floor"]?.doubleValue.map { String(format: " %.2f", $0) } ?? "")
        if let gtin = data["gtin"]?.stringValue { line += "; barcode \(gtin) names no known product" }
        line += candidates.isEmpty ? "; no candidates" : "; best candidates: " + candidates.joined(separator: ", ")
        return line
    }

    static func barcodes(_ codes: [JSONValue]) -> String {
        guard !codes.isEmpty else { return "· barcodes: none in the photo" }
        let read = codes.map { code in
            let symbology = code["symbology"]?.stringValue ?? "barcode"
            let value = code["value"]?.stringValue ?? "?"
            let gtin = code["gtin"]?.stringValue.map { $0 == value ? "" : " (GTIN \($0))" } ?? ""
            return "\(symbology) \(value)\(gtin)"
        }
        return "✓ barcode\(codes.count == 1 ? "" : "s"): " + read.joined(separator: ", ")
    }

    static func photoText(_ data: JSONValue) -> String {
        let lines = (data["lines"]?.arrayValue ?? []).compactMap(\.stringValue).filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { return "· printed text: none read" }
        let shown = lines.prefix(3).map { "\"\($0)\"" }.joined(separator: " / ")
        let more = lines.count > 3 ? " … (\(lines.count) lines)" : ""
        let cut = data["truncated"]?.boolValue == true ? ", cut short by \(data["truncated_by"].map(plain) ?? "a limit")" : ""
        return "✓ printed text: \(shown)\(more)\(cut)"
    }

    /// Offers for sale and past sales counted apart; a sale is marked with its date.
    static func offers(_ listings: [JSONValue]) -> String {
        let sales = listings.filter { $0["sold"]?.boolValue == true }
        let forSale = listings.filter { $0["sold"]?.boolValue != true }
        func price(_ listing: JSONValue) -> String {
            "\(listing["price"].map(plain) ?? "?") \(listing["currency"].map(plain) ?? "")".trimmingCharacters(in: " ")
        }
        var line = "✓ second-hand: \(forSale.count) offer\(forSale.count == 1 ? "" : "s") for sale, \(sales.count) sale\(sales.count == 1 ? "" : "s")"
        let shown = forSale.prefix(5).map(price) + sales.prefix(5).map { "sold \(price($0))" + ($0["sold_date"]?.stringValue.map { " on \($0)" } ?? "") }
        if !shown.isEmpty { line += " (\(shown.joined(separator: ", "))\(forSale.count > 5 || sales.count > 5 ? ", …" : ""))" }
        return line
    }

    /// The estimate and what it rests on: how many sales and offers, or the retail price.
    static func estimate(_ data: JSONValue) -> String {
        func text(_ key: String) -> String { data[key].map(plain) ?? "?" }
        var line = "✓ worth: \(text("price")) \(text("currency")) (\(text("min_range"))–\(text("max_range")), certainty \(text("certainty")))"
        switch data["basis"]?.stringValue {
        case "retail":
            line += "; from the retail price"
        case "comparables":
            let comparables = data["comparables"]?.arrayValue ?? []
            let sales = data["sold_sample_size"]?.intValue ?? comparables.filter { $0["sold"]?.boolValue == true }.count
            let asking = data["active_sample_size"]?.intValue ?? comparables.filter { $0["sold"]?.boolValue != true }.count
            line += "; from \(sales) sale\(sales == 1 ? "" : "s") and \(asking) offer\(asking == 1 ? "" : "s")"
        default:
            break
        }
        return line
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
