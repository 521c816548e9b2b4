import JSON

/// The strict schemas the stages send, as the test server expects them.
enum ChatSchemas {
    static let identification: JSONValue = [
        "type": "object",
        "properties": ["producer": ["type": "string"], "model": ["type": "string"], "confidence": ["type": "number"]],
        "required": ["producer", "model", "confidence"],
        "additionalProperties": false,
    ]

    static let makerPage: JSONValue = [
        "type": "object", "properties": ["index": ["type": "integer"]], "required": ["index"], "additionalProperties": false,
    ]

    static let retail: JSONValue = [
        "type": "object",
        "properties": [
            "name": ["type": "string"],
            "price": ["type": ["string", "null"]],
            "currency": ["type": ["string", "null"]],
            "description": ["type": ["string", "null"]],
            "material": ["type": ["string", "null"]],
            "specs": [
                "type": "array",
                "items": [
                    "type": "object", "properties": ["name": ["type": "string"], "value": ["type": "string"]],
                    "required": ["name", "value"], "additionalProperties": false,
                ],
            ],
        ],
        "required": ["name", "price", "currency", "description", "material", "specs"],
        "additionalProperties": false,
    ]

    /// Four bytes are enough: the server checks there is an image part, not what it shows.
    static let photo = [UInt8]([0x89, 0x50, 0x4E, 0x47])
}
