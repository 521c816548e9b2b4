import Pipeline

/// Why a Browse API call gave nothing: `api_rate_limited` (retryable, with the wait the API asked
/// for), `api_unauthorized` (the keyset was refused, even after a fresh token), `api_failed`,
/// `network_unavailable`. Messages never hold a key, a token or a URL's query.
public struct BrowseAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var retryable: Bool
    /// From `Retry-After` on a 429.
    public var retryAfterSeconds: Int?

    public init(code: String, message: String, retryable: Bool, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code): \(message)" }

    public var stageError: StageError {
        var error = StageError(code: code, message: message, retryable: retryable)
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }
}
