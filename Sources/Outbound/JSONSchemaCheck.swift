import JSON

/// Checks a model's answer against the subset of JSON Schema that strict structured outputs use
/// (`type`, `properties`, `required`, `items`, `enum`, `additionalProperties: false`). Servers that
/// only imitate the API may ignore the schema, so the answer is checked rather than trusted.
enum JSONSchemaCheck {
    /// The first problem found, or nil when `value` fits `schema`.
    static func problem(_ value: JSONValue, _ schema: JSONValue, path: String = "$") -> String? {
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            return "\(path) is not one of the allowed values"
        }
        if let types = typeNames(schema["type"]), !types.contains(where: { fits(value, $0) }) {
            return "\(path) should be \(types.joined(separator: " or "))"
        }
        switch value {
        case .object(let object):
            let properties = schema["properties"]?.objectValue
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                return "\(path).\(key) is missing"
            }
            for (key, item) in object.entries {
                if let sub = properties?[key] {
                    if let problem = problem(item, sub, path: "\(path).\(key)") { return problem }
                } else if schema["additionalProperties"] == .bool(false) {
                    return "\(path).\(key) is not in the schema"
                }
            }
        case .array(let items):
            if let sub = schema["items"] {
                for (index, item) in items.enumerated() {
                    if let problem = problem(item, sub, path: "\(path)[\(index)]") { return problem }
                }
            }
        default:
            break
        }
        return nil
    }

    private static func typeNames(_ type: JSONValue?) -> [String]? {
        switch type {
        case .string(let name): return [name]
        case .array(let names): return names.compactMap(\.stringValue)
        default: return nil
        }
    }

    private static func fits(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("number", .number):
            return true
        case ("integer", .number(let text)):
            return Int(text) != nil || value.intValue != nil
        default:
            return false
        }
    }
}
