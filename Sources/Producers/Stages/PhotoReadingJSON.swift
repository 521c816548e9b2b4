import JSON
import PhotoReading

extension Barcode {
    /// One entry of the `barcodes` event (PROTOCOL.md) and of `lens-gpt read`.
    public var json: JSONValue {
        var fields: JSONObject = ["symbology": .string(symbology.rawValue), "value": .string(value), "gtin": .string(gtin)]
        if !decoders.isEmpty { fields["decoders"] = .array(decoders.map { .string($0.rawValue) }) }
        return .object(fields)
    }
}

extension PhotoText {
    /// The `photo-text` payload (PROTOCOL.md).
    public var json: JSONValue {
        [
            "text": .string(text),
            "lines": .array(lines.map(JSONValue.string)),
            "words": .array(words.map { ["text": .string($0.text), "confidence": .double($0.confidence), "line": .int($0.line)] }),
            "language": .string(language),
            "truncated": .bool(truncated),
            "truncated_by": truncatedBy.map { .string($0.rawValue) } ?? .null,
        ]
    }
}
