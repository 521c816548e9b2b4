import JSON

/// One event of a result: its SSE id, its name, and the envelope JSON sent as `data:`. How it goes
/// on the wire (SSE framing) is the HTTP layer's business (`SSEFrame`), not the pipeline's.
public struct ResultEvent: Sendable, Equatable {
    public let id: Int
    public let name: String
    /// `{"data": ..., "data_type": ..., "data_description": name}` on one line.
    public let envelope: String

    public init(id: Int, name: String, envelope: String) {
        self.id = id
        self.name = name
        self.envelope = envelope
    }

    public init(id: Int, name: String, payload: JSONValue) {
        let envelope: JSONValue = [
            "data": payload,
            "data_type": .string(ResultEvent.dataType(of: payload)),
            "data_description": .string(name),
        ]
        self.init(id: id, name: name, envelope: envelope.serialized())
    }

    /// The payload's type in the original service's Python notation: `dict[str, str]`, `list[dict[str, Any]]`.
    static func dataType(of value: JSONValue) -> String {
        switch value {
        case .object(let object):
            let allText = object.entries.allSatisfy { if case .string = $0.value { return true }; return $0.value == .null }
            return allText ? "dict[str, str]" : "dict[str, Any]"
        case .array(let items):
            guard let first = items.first else { return "list[Any]" }
            let type = dataType(of: first)
            return items.allSatisfy({ dataType(of: $0) == type }) ? "list[\(type)]" : "list[Any]"
        case .string: return "str"
        case .number(let n): return n.contains(".") || n.contains("e") || n.contains("E") ? "float" : "int"
        case .bool: return "bool"
        case .null: return "None"
        }
    }
}

/// How a run ended (or that it has not).
public enum ResultStatus: String, Sendable {
    case running, complete, partial, failed
}
