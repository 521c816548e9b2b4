import DemoWorld
import HTTP
import JSON
import Synchronization

/// For tests only: a loopback server speaking the OpenAI chat completions API that checks each
/// request's shape as OpenAI would (model, strict schema, image part), answers as the demo's
/// model does (`DemoLLMReplies`), and plays faults on demand. Runs standalone on its own port, or
/// mounted in another server through `handler()`.
public final class LLMTestServer: Sendable {
    public static let path = OpenAIChatShape.path

    let endpoint: LLMEndpoint
    private let listener: ChatModelListener

    /// Starts serving `POST /v1/chat/completions` on `host:port` (port 0: a free one).
    public init(host: String = "127.0.0.1", port: Int = 0, model: String = "gpt-4o") throws {
        let endpoint = LLMEndpoint(model: model)
        self.endpoint = endpoint
        listener = try ChatModelListener(host: host, port: port) { endpoint.handler() }
    }

    public var port: Int { listener.port }
    public var baseURL: String { listener.baseURL }

    public func shutdown() { listener.shutdown() }

    /// Applies to the requests that arrive from now on.
    public func setFault(_ fault: Fault) { endpoint.state.withLock { $0.faults.fault = fault } }
    public var requestCount: Int { endpoint.state.withLock { $0.requestCount } }
    public var lastRequest: JSONValue? { endpoint.state.withLock { $0.lastRequest } }
    /// The header fields of the last request (to check how the key was sent).
    public var lastRequestHeaders: HTTPHeaders? { endpoint.state.withLock { $0.lastHeaders } }
    /// Why requests were refused (each also got a 400 with an OpenAI-style error body).
    public var rejected: [String] { endpoint.state.withLock { $0.rejected } }

    /// The pure handler for mounting inside another server. A response cannot wait or break off,
    /// so `slow` answers at once and `cutMidReply` gives half a body; `handler()` plays both for real.
    public func respond(_ head: HTTPRequestHead, body: [UInt8]) -> HTTPResponse {
        endpoint.plan(head, body: body).response
    }

    /// A request handler that plays every fault, for mounting the endpoint in another server's router.
    public func handler() -> HTTPRequestHandler { endpoint.handler() }
}

/// The server's state and request logic, shared by the standalone server and mounted handlers.
final class LLMEndpoint: Sendable {
    struct State {
        var faults = FaultState()
        var requestCount = 0
        var lastRequest: JSONValue?
        var lastHeaders: HTTPHeaders?
        var rejected: [String] = []
    }

    /// How to deliver a response.
    enum Plan {
        case now(HTTPResponse)
        case after(millis: Int, HTTPResponse)
        /// Send the head and half the body, then drop the connection.
        case cut(HTTPResponse)

        var response: HTTPResponse {
            switch self {
            case .now(let r), .after(_, let r): return r
            case .cut(var r):
                r.body = Array(r.body.prefix(r.body.count / 2))
                return r
            }
        }
    }

    let model: String
    let state = Mutex(State())
    /// The photo comes inline as base64, so requests are far larger than the usual 64 KiB.
    static let maxRequestBytes = 32 * 1024 * 1024

    init(model: String) { self.model = model }

    func handler() -> HTTPRequestHandler {
        BufferedRequestHandler(maxBodyBytes: LLMEndpoint.maxRequestBytes) { [self] head, body, writer in
            switch plan(head, body: body) {
            case .now(let response):
                writer.send(response)
            case .after(let millis, let response):
                // A timer on the connection's loop: the loop keeps serving others meanwhile.
                _ = writer.loop.schedule(afterMillis: UInt64(max(0, millis))) { writer.send(response) }
            case .cut(let response):
                writer.beginStream(status: response.status, headers: response.headers)
                writer.write(Array(response.body.prefix(response.body.count / 2)))
                writer.abort()
            }
        }
    }

    func plan(_ head: HTTPRequestHead, body: [UInt8]) -> Plan {
        if let misrouted = OpenAIChatShape.misrouted(head) { return .now(misrouted) }
        let request = try? JSONParser.parse(body)
        let fault = state.withLock { state -> LLMTestServer.Fault in
            state.requestCount += 1
            state.lastRequest = request
            state.lastHeaders = head.headers
            return state.faults.take()
        }
        guard let request, case .object = request else { return reject(["the body is not a JSON object"]) }

        var problems = LLMRequestShape.problems(request, model: model)
        let schemaName = request["response_format"]?["json_schema"]?["name"]?.stringValue ?? ""
        if problems.isEmpty && !DemoLLMReplies.schemaNames.contains(schemaName) {
            problems.append("unknown schema name \"\(schemaName)\"")
        }
        if DemoLLMReplies.needsImage(schemaName)
            && !OpenAIChatShape.imageURLs(request).contains(where: LLMRequestShape.isBase64ImageDataURL)
        {
            problems.append("\(schemaName) needs an image_url part with a base64 data: URL")
        }
        guard problems.isEmpty else { return reject(problems) }

        switch fault {
        case .rateLimited(let seconds, _):
            var response = OpenAIChatShape.error(.tooManyRequests, "Rate limit reached for requests", type: "requests",
                                             code: "rate_limit_exceeded")
            response.headers.set("Retry-After", String(seconds))
            response.headers.set("retry-after-ms", String(seconds * 1000))
            return .now(response)
        case .serverError:
            return .now(OpenAIChatShape.error(.internalServerError, "The server had an error while processing your request.",
                                          type: "server_error", code: "server_error"))
        case .status(let code, let errorCode, let shouldRetry, _):
            var response = OpenAIChatShape.error(HTTPStatus(code, "Error"), "test fault \(errorCode)", type: errorCode, code: errorCode)
            if let shouldRetry { response.headers.set("x-should-retry", shouldRetry ? "true" : "false") }
            return .now(response)
        default:
            break
        }

        let reply = DemoLLMReplies.reply(to: request) ?? [:]
        var content: JSONValue = .string(reply.serialized())
        var refusal: JSONValue = .null
        var finishReason = "stop"
        switch fault {
        case .invalidJSON: content = "Sure! Here is the product you asked about: {producer: unknown"
        case .refusal:
            content = .null
            refusal = "I'm sorry, but I can't help with that request."
        case .truncated:
            let text = reply.serialized()
            content = .string(String(text.prefix(text.count / 2)))
            finishReason = "length"
        default: break
        }
        let completion = completion(content: content, refusal: refusal, finishReason: finishReason)
        switch fault {
        case .slow(let millis): return .after(millis: millis, .json(.ok, completion))
        case .cutMidReply: return .cut(.json(.ok, completion))
        default: return .now(.json(.ok, completion))
        }
    }

    private func reject(_ problems: [String]) -> Plan {
        state.withLock { $0.rejected += problems }
        return .now(OpenAIChatShape.error(.badRequest, problems.joined(separator: "; "), type: "invalid_request_error",
                                      code: "invalid_request"))
    }

    private func completion(content: JSONValue, refusal: JSONValue, finishReason: String) -> JSONValue {
        let number = state.withLock { $0.requestCount }
        return OpenAIChatShape.completion(id: "chatcmpl-test-\(number)", model: model, content: content, refusal: refusal,
                                          finishReason: finishReason)
    }
}
