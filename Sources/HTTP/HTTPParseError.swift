/// Why a request could not be parsed, with the status the server answers before closing.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Malformed syntax: 400.
        case badRequest
        /// Request-target longer than the limit: 414.
        case uriTooLong
        /// Header section larger than the limit or too many fields: 431.
        case headersTooLarge
        /// A declared body larger than the limit: 413.
        case bodyTooLarge
        /// A transfer coding we do not implement: 501.
        case notImplemented
        /// An HTTP major version other than 1: 505.
        case versionNotSupported
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var status: HTTPStatus {
        switch kind {
        case .badRequest: return .badRequest
        case .uriTooLong: return .uriTooLong
        case .headersTooLarge: return .requestHeaderFieldsTooLarge
        case .bodyTooLarge: return .contentTooLarge
        case .notImplemented: return .notImplemented
        case .versionNotSupported: return .httpVersionNotSupported
        }
    }

    public var description: String { "\(status.code) \(message)" }
}
