import JSON

/// Reads a chat completion answer: the first choice's content as the JSON the schema asked for,
/// or the reason there is none.
enum ChatReply {
    static func content(of response: HTTPClientResponse, schemaName: String, schema: JSONValue) throws(ChatError) -> JSONValue {
        let reply: JSONValue
        do {
            reply = try JSONParser.parse(response.body)
        } catch {
            throw ChatError(.invalidJSON, "the API's answer is not JSON (\(error))")
        }
        guard let choice = reply["choices"]?[0], let message = choice["message"] else {
            throw ChatError(.invalidJSON, "the API's answer has no choices[0].message")
        }
        if let refusal = message["refusal"]?.stringValue, !refusal.isEmpty {
            throw ChatError(.refusal, "the model refused: \(refusal.prefix(300))")
        }
        switch choice["finish_reason"]?.stringValue {
        case "length":
            throw ChatError(.truncated, "the answer was cut at the token limit (finish_reason: length)")
        case "content_filter":
            throw ChatError(.refusal, "the answer was withheld by a content filter")
        default:
            break
        }
        guard let content = message["content"]?.stringValue else {
            throw ChatError(.invalidJSON, "choices[0].message.content is not text")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(unfenced(content))
        } catch {
            throw ChatError(.invalidJSON, "\(schemaName): the model's content is not JSON (\(error))")
        }
        guard case .object = value else { throw ChatError(.schemaMismatch, "\(schemaName): the content is not a JSON object") }
        if let problem = JSONSchemaCheck.problem(value, schema) {
            throw ChatError(.schemaMismatch, "\(schemaName): \(problem)")
        }
        return value
    }

    /// Some local servers wrap the JSON in a Markdown code fence despite the schema.
    static func unfenced(_ content: String) -> String {
        let trimmed = content.trimmingCharacters(where: { $0.isWhitespace })
        guard trimmed.hasPrefix("```"), trimmed.hasSuffix("```"), trimmed.count >= 6 else { return trimmed }
        var inner = trimmed.dropFirst(3).dropLast(3)
        if let newline = inner.firstIndex(of: "\n") { inner = inner[inner.index(after: newline)...] }  // ```json
        return String(inner)
    }
}
