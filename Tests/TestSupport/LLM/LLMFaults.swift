extension LLMTestServer {
    /// A failure the test server plays instead of (or on top of) its canned reply. Faults with
    /// `times` count down and then the server answers normally again; the others last until the
    /// next `setFault`.
    public enum Fault: Sendable, Equatable {
        case none
        /// 429 with `Retry-After` (seconds) and `retry-after-ms`, and an OpenAI-style error body.
        case rateLimited(retryAfterSeconds: Int, times: Int)
        /// 500 with an OpenAI-style error body.
        case serverError(times: Int)
        /// The normal reply, after a delay (a timer on the server's loop, which keeps serving).
        case slow(millis: Int)
        /// `message.content` is not JSON.
        case invalidJSON
        /// `message.refusal` set and `content` null.
        case refusal
        /// `finish_reason: "length"` with the content cut off.
        case truncated
        /// The reply stops partway and the connection closes.
        case cutMidReply
        /// Any status with an OpenAI-style error whose `code` is `errorCode` (`invalid_api_key`,
        /// `insufficient_quota`, ...), and `x-should-retry` when `shouldRetry` is given.
        case status(code: Int, errorCode: String, shouldRetry: Bool? = nil, times: Int)
    }
}

/// The fault in force and its countdown.
struct FaultState {
    var fault: LLMTestServer.Fault = .none

    /// The fault for the request that just arrived; counted faults use one of their times.
    mutating func take() -> LLMTestServer.Fault {
        let current = fault
        switch current {
        case .rateLimited(let seconds, let times):
            fault = times > 1 ? .rateLimited(retryAfterSeconds: seconds, times: times - 1) : .none
            return times > 0 ? current : .none
        case .serverError(let times):
            fault = times > 1 ? .serverError(times: times - 1) : .none
            return times > 0 ? current : .none
        case .status(let code, let errorCode, let shouldRetry, let times):
            fault = times > 1 ? .status(code: code, errorCode: errorCode, shouldRetry: shouldRetry, times: times - 1) : .none
            return times > 0 ? current : .none
        case .none, .slow, .invalidJSON, .refusal, .truncated, .cutMidReply:
            return current
        }
    }
}
