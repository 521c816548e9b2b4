import JSON
import Pipeline

/// Why an official web API (a barcode database, a web-search API) gave no answer, typed like
/// the stages' errors: `api_rate_limited` (retryable, with the wait the service asked for),
/// `api_unauthorized` (the key is wrong or lacks the right), `api_failed`, `network_unavailable`.
/// Messages never carry a key: requests whose URL holds one are named without it.
public struct WebAPIFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider's name (`openfoodfacts`, `brave-api`, ...).
    public var provider: String
    public var code: String
    public var message: String
    public var retryable: Bool
    /// Seconds the service asked to wait (`Retry-After`, `X-RateLimit-Reset`); nil when it said none.
    public var retryAfterSeconds: Int?

    public init(provider: String, code: String, message: String, retryable: Bool, retryAfterSeconds: Int? = nil) {
        self.provider = provider
        self.code = code
        self.message = message
        self.retryable = retryable
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(provider) \(code): \(message)" }

    /// As a stage error (a chain of searches collects these into its own message).
    public var stageError: StageError {
        let wait = retryAfterSeconds.map { " (retry after \($0) s)" } ?? ""
        return StageError(code: code, message: "\(provider): \(message)\(wait)", retryable: retryable)
    }

    /// `{"code", "message", "retryable", "provider", "retry_after_seconds"?}` for events and the command line.
    public var json: JSONObject {
        var object: JSONObject = ["code": .string(code), "message": .string(message), "retryable": .bool(retryable),
                                  "provider": .string(provider)]
        if let retryAfterSeconds { object["retry_after_seconds"] = .int(retryAfterSeconds) }
        return object
    }
}
