/// Why a page could not be fetched, with the code the pipeline's `stage-error` event carries.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// `fetch_blocked` (SSRF guard or scheme), `fetch_timeout`, `fetch_redirects` (a loop or too
    /// many), `fetch_status` (HTTP 400 and above), `fetch_failed` (anything else).
    public let code: String
    public let message: String
    public let retryable: Bool

    public init(code: String, message: String, retryable: Bool) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    static func blocked(_ message: String) -> FetchError { FetchError(code: "fetch_blocked", message: message, retryable: false) }
    static func timeout(_ message: String) -> FetchError { FetchError(code: "fetch_timeout", message: message, retryable: true) }
    static func redirects(_ message: String) -> FetchError { FetchError(code: "fetch_redirects", message: message, retryable: false) }
    static func failed(_ message: String, retryable: Bool) -> FetchError {
        FetchError(code: "fetch_failed", message: message, retryable: retryable)
    }

    public var description: String { "\(code): \(message)" }
}
