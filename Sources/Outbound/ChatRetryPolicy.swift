import Glibc

/// When and how long to wait before retrying a chat request: the rules of the official OpenAI
/// clients (openai-python `_should_retry` and `_calculate_retry_timeout`), as pure functions.
public enum ChatRetryPolicy {
    public static let initialDelaySeconds = 0.5
    public static let maxDelaySeconds = 8.0
    /// A server's `Retry-After` above this is not waited for; the backoff applies instead.
    public static let maxHonouredRetryAfterSeconds = 60.0

    /// Whether an error answer may be retried: the server's `x-should-retry` wins; otherwise
    /// 408, 409, 429 and 5xx are, except 429 `insufficient_quota`, which waiting cannot fix.
    public static func shouldRetry(status: Int, headers: [(String, String)], errorCode: String?) -> Bool {
        switch header("x-should-retry", in: headers)?.lowercased() {
        case "true": return true
        case "false": return false
        default: break
        }
        if errorCode == "insufficient_quota" { return false }
        return status == 408 || status == 409 || status == 429 || status >= 500
    }

    /// Seconds to wait before the next attempt, `retriesSoFar` retries into the request: the
    /// server's `retry-after-ms` or `Retry-After` when between 0 and 60 s, else exponential backoff
    /// from 0.5 s up to 8 s, shortened by up to a quarter at random (`jitter` in 0..<1).
    public static func delaySeconds(retriesSoFar: Int, headers: [(String, String)], jitter: Double,
                                    now: Int = Int(time(nil))) -> Double
    {
        if let asked = retryAfterSeconds(headers, now: now), asked > 0, asked <= maxHonouredRetryAfterSeconds {
            return asked
        }
        let backoff = min(initialDelaySeconds * pow(2.0, Double(max(0, retriesSoFar))), maxDelaySeconds)
        return backoff * (1 - 0.25 * min(max(jitter, 0), 1))
    }

    /// `retry-after-ms` (milliseconds), else `Retry-After` as seconds or as an HTTP date.
    static func retryAfterSeconds(_ headers: [(String, String)], now: Int) -> Double? {
        if let ms = header("retry-after-ms", in: headers).flatMap(Double.init), ms.isFinite {
            return ms / 1000
        }
        guard let value = header("retry-after", in: headers) else { return nil }
        if let seconds = Double(value), seconds.isFinite { return seconds }
        return RetryAfter.httpDate(value).map { Double($0 - now) }
    }

    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.lowercased() == name }?.1
    }
}
