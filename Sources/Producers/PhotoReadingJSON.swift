import JSON
import PhotoReading

extension Barcode {
    /// One entry of the `barcodes` event (PROTOCOL.md) and of `lens-gpt read`.
    public var json: JSONValue {
        ["symbology": .string(symbology.rawValue), "value": .string(value), "gtin": .string(gtin)]
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
        ]
    }
}
