import SystemSupport

/// Why a chat completion gave no usable answer. Callers fall back to their deterministic method.
public typealias ChatError = KindedError<ChatErrorKind>

/// The kinds of `ChatError`.
public enum ChatErrorKind: String, Sendable {
    /// No key and no base URL: the LLM is off.
    case disabled
    /// 401 or 403: a wrong or missing key.
    case unauthorized
    /// 429 after every retry.
    case rateLimited
    /// 429 `insufficient_quota`: retrying cannot help.
    case quota
    /// Any other 4xx: the request is wrong (unknown model, schema the server rejects, ...).
    case badRequest
    /// 5xx (or 409) after every retry.
    case server
    /// No complete answer within the time limit, after every retry.
    case timeout
    /// The connection failed or broke off, after every retry.
    case transport
    /// The model declined (`message.refusal`, or `finish_reason: content_filter`).
    case refusal
    /// `finish_reason: length`: the answer was cut at the token limit.
    case truncated
    /// The API's answer, or the model's content, is not JSON.
    case invalidJSON
    /// The content is JSON but not what the schema asks for.
    case schemaMismatch
}

extension KindedError where Kind == ChatErrorKind {
    /// Whether the same request may succeed later (the pipeline's `stage-error` event says so).
    public var retryable: Bool {
        switch kind {
        case .rateLimited, .server, .timeout, .transport: return true
        case .disabled, .unauthorized, .quota, .badRequest, .refusal, .truncated, .invalidJSON, .schemaMismatch: return false
        }
    }
}
