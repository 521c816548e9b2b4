/// Why an outbound request failed, in terms a caller can act on.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// No connection within the connect timeout, or refused, or the host is unknown.
        case connect
        /// The whole exchange took longer than its time limit.
        case timeout
        /// The response body was larger than the request's byte cap.
        case tooLarge
        case tooManyRedirects
        /// The request's address policy refused the address it would have connected to.
        case blocked
        case invalidRequest
        /// Anything else the transport reported (reset connection, TLS failure, ...).
        case transport
        /// The body was not what the caller asked for (e.g. not JSON).
        case badResponse
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
