import JSON

/// One event of a result: its SSE id, its name, and the envelope JSON sent as `data:`.
public struct ResultEvent: Sendable, Equatable {
    public let id: Int
    public let name: String
    /// `{"data": ..., "data_type": ..., "data_description": name}` on one line.
    public let envelope: String
    /// The event as one SSE frame (`id`, `event`, `data`, blank line), encoded once however
    /// many subscribers receive it.
    public let frame: [UInt8]

    public init(id: Int, name: String, envelope: String) {
        self.id = id
        self.name = name
        self.envelope = envelope
        frame = ResultEvent.sseFrame(id: id, name: name, envelope: envelope)
    }

    public static func == (a: ResultEvent, b: ResultEvent) -> Bool {
        a.id == b.id && a.name == b.name && a.envelope == b.envelope
    }

    /// The envelope is one line by construction (the JSON serialiser escapes every line break)
    /// and names are stage names; anything else is reduced to one line here all the same, so a
    /// stored envelope can never add a field or a frame.
    static func sseFrame(id: Int, name: String, envelope: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(envelope.utf8.count + name.utf8.count + 32)
        out.append(contentsOf: "id: \(id)\nevent: ".utf8)
        for byte in name.utf8 where byte != 0x0A && byte != 0x0D { out.append(byte) }
        out.append(contentsOf: "\ndata: ".utf8)
        if envelope.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            for byte in envelope.utf8 where byte != 0x0A && byte != 0x0D { out.append(byte) }
        } else {
            out.append(contentsOf: envelope.utf8)
        }
        out.append(contentsOf: "\n\n".utf8)
        return out
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
