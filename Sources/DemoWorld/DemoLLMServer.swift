import HTTP
import JSON
import Synchronization

/// The demo's OpenAI-compatible vision model: `POST /v1/chat/completions` answered from the demo
/// catalog (`DemoLLMReplies`), so `serve --demo` can run every LLM step — including naming a
/// sample photo from the photo alone — offline. Runs on its own port, or mounted in another
/// server through `handler()`. Requests are read as a model server would, not checked strictly;
/// the tests' request-checking server with faults is `LLMTestServer` (target TestSupport).
public final class DemoLLMServer: Sendable {
    public static let path = OpenAIChatShape.path

    private let listener: ChatModelListener
    private let endpoint: DemoLLMEndpoint

    /// Starts serving on `host:port` (port 0: a free one); `model` is the name replies carry
    /// when a request names none.
    public init(host: String = "127.0.0.1", port: Int = 0, model: String = "gpt-4o") throws {
        let endpoint = DemoLLMEndpoint(model: model)
        self.endpoint = endpoint
        listener = try ChatModelListener(host: host, port: port) { endpoint.handler() }
    }

    public var port: Int { listener.port }
    /// What `OPENAI_BASE_URL` (or the chat configuration's base URL) should be.
    public var baseURL: String { listener.baseURL }
    public var requestCount: Int { endpoint.state.withLock { $0.requests } }

    public func shutdown() { listener.shutdown() }

    /// The demo's `llm-down` switch: while down, every request gets a 503 as from an overloaded server.
    public func setDown(_ down: Bool) { endpoint.state.withLock { $0.down = down } }

    /// A request handler for mounting the endpoint in another server's router.
    public func handler() -> HTTPRequestHandler { endpoint.handler() }

    /// The answer to one request.
    public func respond(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse { endpoint.respond(head, body: body) }
}

/// The demo model's state and request logic, shared by the standalone server and mounted handlers.
final class DemoLLMEndpoint: Sendable {
    struct State {
        var requests = 0
        var down = false
    }

    let model: String
    let state = Mutex(State())
    /// The photo comes inline as base64, so requests are far larger than the usual 64 KiB.
    static let maxRequestBytes = 32 * 1024 * 1024

    init(model: String) { self.model = model }

    func handler() -> HTTPRequestHandler {
        BufferedRequestHandler(maxBodyBytes: DemoLLMEndpoint.maxRequestBytes) { [self] head, body, writer in
            writer.send(respond(head, body: body))
        }
    }

    func respond(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse {
        if let misrouted = OpenAIChatShape.misrouted(head) { return misrouted }
        let (number, down) = state.withLock { s -> (Int, Bool) in
            s.requests += 1
            return (s.requests, s.down)
        }
        if down {
            return OpenAIChatShape.error(HTTPStatus(503, "Service Unavailable"), "The demo LLM is switched off (llm-down).",
                                         type: "server_error", code: "service_unavailable")
        }
        guard let request = try? JSONParser.parse(body), case .object = request else {
            return OpenAIChatShape.error(.badRequest, "the body is not a JSON object", type: "invalid_request_error", code: "invalid_request")
        }
        guard let reply = DemoLLMReplies.reply(to: request) else {
            let name = request["response_format"]?["json_schema"]?["name"]?.stringValue ?? ""
            return OpenAIChatShape.error(.badRequest, "the demo model knows no schema \"\(name)\"", type: "invalid_request_error",
                                         code: "invalid_request")
        }
        let named = request["model"]?.stringValue ?? model  // answers under whatever model name it was asked for
        return .json(.ok, OpenAIChatShape.completion(id: "chatcmpl-demo-\(number)", model: named, content: .string(reply.serialized())))
    }
}
