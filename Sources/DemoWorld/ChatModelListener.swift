import HTTP

/// Where an OpenAI-compatible model server (the demo's or the tests' request-checking one) listens
/// on its own: one loop on `host:port` (port 0: a free one), every request to the endpoint's
/// handler, and the base URL a chat client is given.
public final class ChatModelListener: Sendable {
    private let server: HTTPServer
    private let host: String

    public init(host: String, port: Int, handler: @escaping @Sendable () -> HTTPRequestHandler) throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loopCount = 1
        self.host = host
        server = try HTTPServer(configuration: configuration) { _, _ in handler() }
    }

    public var port: Int { server.port }
    /// What `OPENAI_BASE_URL` (or the chat configuration's base URL) should be.
    public var baseURL: String { "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/v1" }

    public func shutdown() { server.shutdown() }
}

extension OpenAIChatShape {
    /// The answer to a request that is not `POST /v1/chat/completions`; nil for one that is.
    public static func misrouted(_ head: HTTPRequestHead) -> HTTPResponse? {
        guard head.path == path else {
            return error(.notFound, "no route \(head.path)", type: "invalid_request_error", code: "not_found")
        }
        guard head.method == "POST" else {
            var response = error(.methodNotAllowed, "use POST", type: "invalid_request_error", code: "method_not_allowed")
            response.headers.set("Allow", "POST")
            return response
        }
        return nil
    }
}
