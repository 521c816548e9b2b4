import SystemSupport

/// Why an outbound request failed, in terms a caller can act on.
public typealias HTTPClientError = KindedError<HTTPClientErrorKind>

/// The kinds of `HTTPClientError`.
public enum HTTPClientErrorKind: String, Sendable {
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
