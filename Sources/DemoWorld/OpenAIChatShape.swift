import Glibc
import HTTP
import JSON

/// The OpenAI chat completions API's shapes, as the demo's LLM server speaks them: reading a
/// request's text and image parts, and writing completions and error bodies.
public enum OpenAIChatShape {
    public static let path = "/v1/chat/completions"

    /// The text of every message, joined: what a model reads.
    public static func text(_ request: JSONValue) -> String {
        (request["messages"]?.arrayValue ?? []).flatMap { message -> [String] in
            switch message["content"] {
            case .string(let text): return [text]
            case .array(let parts): return parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }
            default: return []
            }
        }.joined(separator: "\n")
    }

    /// The `image_url` parts' URLs of every message.
    public static func imageURLs(_ request: JSONValue) -> [String] {
        (request["messages"]?.arrayValue ?? []).flatMap { message in
            (message["content"]?.arrayValue ?? []).compactMap { part in
                part["type"]?.stringValue == "image_url" ? part["image_url"]?["url"]?.stringValue : nil
            }
        }
    }

    /// The bytes of a base64 `data:image/...;base64,` URL; nil for anything else.
    public static func imageBytes(_ url: String) -> [UInt8]? {
        guard url.hasPrefix("data:image/"), let comma = url.firstRange(of: ";base64,") else { return nil }
        return DemoBase64.decode(url[comma.upperBound...])
    }

    /// A `chat.completion` object with one choice.
    public static func completion(id: String, model: String, content: JSONValue, refusal: JSONValue = .null,
                                  finishReason: String = "stop") -> JSONValue
    {
        let completionTokens = (content.stringValue?.count ?? 0) / 4 + 1
        return [
            "id": .string(id),
            "object": "chat.completion",
            "created": .int(time(nil)),
            "model": .string(model),
            "choices": [[
                "index": 0,
                "message": ["role": "assistant", "content": content, "refusal": refusal],
                "logprobs": nil,
                "finish_reason": .string(finishReason),
            ]],
            "usage": ["prompt_tokens": 100, "completion_tokens": .int(completionTokens), "total_tokens": .int(100 + completionTokens)],
        ]
    }

    /// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
    public static func error(_ status: HTTPStatus, _ message: String, type: String, code: String) -> HTTPResponse {
        .json(status, ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string(code)]])
    }
}
