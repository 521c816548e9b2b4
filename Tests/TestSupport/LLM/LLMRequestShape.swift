import DemoWorld
import JSON

/// What the test server insists on in a chat completions request, so a stage that builds a
/// request OpenAI would reject fails in tests too.
enum LLMRequestShape {
    /// Every problem with `request`; empty when it is well formed.
    static func problems(_ request: JSONValue, model: String) -> [String] {
        var problems: [String] = []
        if request["model"]?.stringValue != model {
            problems.append("model is \(request["model"]?.serialized() ?? "missing"), expected \"\(model)\"")
        }
        let messages = request["messages"]?.arrayValue ?? []
        if messages.isEmpty { problems.append("messages is missing or empty") }
        for (index, message) in messages.enumerated() {
            let roles = ["system", "developer", "user", "assistant"]
            if !roles.contains(message["role"]?.stringValue ?? "") { problems.append("messages[\(index)].role is not a known role") }
            if message["content"] == nil { problems.append("messages[\(index)] has no content") }
        }
        let format = request["response_format"]
        guard format?["type"]?.stringValue == "json_schema", let spec = format?["json_schema"] else {
            problems.append("response_format is not {type: json_schema, json_schema: ...}")
            return problems
        }
        if (spec["name"]?.stringValue ?? "").isEmpty { problems.append("json_schema.name is missing") }
        if spec["strict"] != .bool(true) { problems.append("json_schema.strict is not true") }
        if let schema = spec["schema"], schema["type"]?.stringValue == "object" {
            problems += strictProblems(schema, path: "schema")
        } else {
            problems.append("json_schema.schema is not an object schema")
        }
        return problems
    }

    /// OpenAI's strict mode: every object closes with `additionalProperties: false` and lists every
    /// property as required (optional values are spelled as a type union with "null").
    static func strictProblems(_ schema: JSONValue, path: String) -> [String] {
        var problems: [String] = []
        if let properties = schema["properties"]?.objectValue {
            if schema["additionalProperties"] != .bool(false) { problems.append("\(path): additionalProperties is not false") }
            let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            for key in properties.keys where !required.contains(key) { problems.append("\(path).\(key) is not required") }
            for (key, sub) in properties.entries { problems += strictProblems(sub, path: "\(path).\(key)") }
        }
        if let items = schema["items"] { problems += strictProblems(items, path: "\(path)[]") }
        return problems
    }

    static func isBase64ImageDataURL(_ url: String) -> Bool {
        url.hasPrefix("data:image/") && url.contains(";base64,") && url.count > "data:image/png;base64,".count
    }
}
