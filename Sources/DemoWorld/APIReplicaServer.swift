import HTTP
import JSON
import Synchronization

/// How a demo API replica answers, switched by tests and by `--demo-faults` at any time.
public enum APIReplicaMode: String, Sendable {
    case normal
    /// 429 with the provider's rate-limit headers and error body.
    case rateLimited = "rate-limited"
    /// The provider's answer to a key it does not accept, whatever key was sent.
    case unauthorized
}

/// One request a replica received, for tests to check the client's request shape.
public struct APIReplicaRequest: Sendable {
    public var provider: String
    public var path: String
    public var query: [(String, String)]
    public var headers: HTTPHeaders

    public func parameter(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
}

/// A loopback HTTP server for replicas of official JSON APIs: each provider a name, a mode and
/// an answer function; every request logged.
public final class APIReplicaServer: Sendable {
    public let server: HTTPServer
    let host: String
    private let state: State

    /// The modes and the log, shared with the server's handlers.
    final class State: Sendable {
        let modes = Mutex<[String: APIReplicaMode]>([:])
        let log = Mutex<[APIReplicaRequest]>([])
    }

    /// `route`: the provider a path belongs to (nil: not one of them); `answer`: its response.
    init(host: String, port: Int, route: @escaping @Sendable (Substring) -> String?,
         answer: @escaping @Sendable (APIReplicaRequest, APIReplicaMode) -> HTTPResponse) throws
    {
        self.host = host == "0.0.0.0" ? "127.0.0.1" : host
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loopCount = 1
        let state = State()
        self.state = state
        server = try HTTPServer(configuration: configuration) { _, _ in
            BufferedRequestHandler { head, _, writer in
                guard head.method == "GET", let provider = route(head.path) else {
                    writer.send(.json(.notFound, ["error": "no such API path in the demo world"]))
                    return
                }
                let request = APIReplicaRequest(provider: provider, path: String(head.path), query: Escape.form(head.query),
                                                headers: head.headers)
                state.log.withLock { $0.append(request) }
                writer.send(answer(request, state.modes.withLock { $0[provider] } ?? .normal))
            }
        }
    }

    public var baseURL: String { "http://\(host):\(server.port)" }

    public func setMode(_ mode: APIReplicaMode, for provider: String) { state.modes.withLock { $0[provider] = mode } }

    /// Every request so far, oldest first.
    public var requests: [APIReplicaRequest] { state.log.withLock { $0 } }

    public func shutdown() { server.shutdown() }

    static func json(_ status: HTTPStatus, _ value: JSONValue, headers: [(String, String)] = []) -> HTTPResponse {
        var response = HTTPResponse.json(status, value)
        for (name, value) in headers { response.headers.set(name, value) }
        return response
    }

    static let tooManyRequests = HTTPStatus(429, "Too Many Requests")
    static let unauthorized = HTTPStatus(401, "Unauthorized")
}
