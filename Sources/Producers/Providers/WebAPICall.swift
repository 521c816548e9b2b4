import Glibc
import JSON
import Outbound
import Synchronization

/// One official JSON API as its clients call it: a GET with the provider's headers, the answer
/// parsed as JSON, HTTP and transport failures turned into `WebAPIFailure`s, and the service's
/// own rate limit remembered so that calls inside its wait fail at once instead of hammering it.
public final class WebAPICall: Sendable {
    let provider: String
    /// The API's base URL without a trailing slash (`https://api.example.com`); paths are put after it.
    let base: String
    let http: HTTPClient
    /// Wall-clock second (epoch) before which the service said not to call again; 0: none.
    private let quietUntil = Atomic<Int>(0)
    /// This process's own limit on requests to the service (nil: none).
    private let pace: RequestPace?

    init(provider: String, base: String = "", http: HTTPClient, pace: RequestPace? = nil) {
        self.provider = provider
        self.base = WebAPICall.trimmed(base)
        self.http = http
        self.pace = pace
    }

    struct Answer {
        var status: Int
        var body: JSONValue?
        var response: HTTPClientResponse
    }

    /// Sends `url` (named `shownURL` in messages: without any key it carries) and returns the
    /// answer for every status the caller handles itself (2xx, and 404 for look-ups); 429, 401
    /// and 403 and other statuses become failures here. `detail` reads the provider's error text.
    func get(_ url: String, shownURL: String, headers: [(String, String)], timeoutMillis: Int,
             passing: Set<Int> = [], detail: (JSONValue?) -> String?) throws(WebAPIFailure) -> Answer
    {
        let now = WebAPICall.wallSeconds()
        let quiet = quietUntil.load(ordering: .relaxed)
        if quiet > now {
            throw WebAPIFailure(provider: provider, code: "api_rate_limited",
                                message: "the service's rate limit is used up until it resets; not called", retryable: true,
                                retryAfterSeconds: quiet - now)
        }
        if let pace, let wait = pace.take(now: now) {
            throw WebAPIFailure(provider: provider, code: "api_rate_limited",
                                message: "this server's own limit of \(pace.perMinute) requests a minute to the service is reached", retryable: true,
                                retryAfterSeconds: wait)
        }
        let request = HTTPClientRequest(url: url, headers: [("Accept", "application/json")] + headers,
                                        timeoutMillis: max(1, timeoutMillis), maxResponseBytes: 4 << 20, followRedirects: true)
        let response: HTTPClientResponse
        do {
            response = try http.send(request)
        } catch {
            // libcurl's message names the URL, which may hold a key: name the shown URL instead.
            let message = error.message.replacing(url, with: shownURL)
            switch error.kind {
            case .connect, .transport:
                throw WebAPIFailure(provider: provider, code: "network_unavailable",
                                    message: "cannot reach \(shownURL): \(message). Check this machine's network and DNS", retryable: true)
            case .timeout:
                throw WebAPIFailure(provider: provider, code: "api_failed", message: "no answer in time: \(message)", retryable: true)
            default:
                throw WebAPIFailure(provider: provider, code: "api_failed", message: message, retryable: true)
            }
        }
        let body = try? JSONParser.parse(response.body)
        remember(response, now: WebAPICall.wallSeconds())
        let status = response.status
        // A status the caller reads itself (Open Food Facts' 404 for an unknown code) may come without JSON.
        if passing.contains(status) { return Answer(status: status, body: body, response: response) }
        if (200..<300).contains(status) {
            guard body != nil else {
                throw WebAPIFailure(provider: provider, code: "api_failed", message: "the answer from \(shownURL) is not JSON (HTTP \(status))",
                                    retryable: true)
            }
            return Answer(status: status, body: body, response: response)
        }
        let said = detail(body).map { ": \($0)" } ?? ""
        switch status {
        case 429:
            throw WebAPIFailure(provider: provider, code: "api_rate_limited", message: "rate limit or quota used up (HTTP 429)\(said)",
                                retryable: true, retryAfterSeconds: WebAPICall.retryAfter(response, now: WebAPICall.wallSeconds()))
        case 401, 403:
            throw WebAPIFailure(provider: provider, code: "api_unauthorized", message: "the service refused the key (HTTP \(status))\(said)",
                                retryable: false)
        default:
            throw WebAPIFailure(provider: provider, code: "api_failed", message: "HTTP \(status) from \(shownURL)\(said)",
                                retryable: status >= 500)
        }
    }

    /// A 429 or an exhausted `X-RateLimit-Remaining` keeps later calls away until the reset.
    private func remember(_ response: HTTPClientResponse, now: Int) {
        let exhausted = response.header("X-RateLimit-Remaining").flatMap { Int($0.trimmingCharacters(in: " ")) } == 0
        guard response.status == 429 || exhausted, let wait = WebAPICall.retryAfter(response, now: now) else { return }
        quietUntil.store(now + wait, ordering: .relaxed)
    }

    /// Seconds to wait: `Retry-After` (seconds), else `X-RateLimit-Reset` read as an epoch second
    /// when it is one (some providers send it so) or as seconds from now when it is small.
    static func retryAfter(_ response: HTTPClientResponse, now: Int) -> Int? {
        if let seconds = response.header("Retry-After").flatMap({ RetryAfter.seconds($0, now: now) }) { return seconds }
        // A list ("1, 1419704", one per rate window): the first window to reset is the one to wait for.
        guard let text = response.header("X-RateLimit-Reset")?.split(separator: ",").first,
              let value = Int(text.trimmingCharacters(in: " ")), value >= 0 else { return nil }
        return value > 1_000_000_000 ? max(0, value - now) : value
    }

    static func wallSeconds() -> Int { Int(time(nil)) }

    /// `text` percent-encoded for a query string.
    static func encode(_ text: String) -> String { SearchProfile.encode(text).replacing("+", with: "%20") }

    /// `base` without a trailing slash, so paths can be appended.
    static func trimmed(_ base: String) -> String {
        var out = base
        while out.hasSuffix("/") { out.removeLast() }
        return out
    }
}

/// A limit on requests a rolling minute, shared by every client of one service in this process
/// (Open Food Facts asks for at most 100 product reads a minute).
final class RequestPace: Sendable {
    let perMinute: Int
    /// The wall-clock seconds of the requests sent in the last minute.
    private let sent = Mutex<[Int]>([])

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Takes a slot for a request now, or says how many seconds until one is free.
    func take(now: Int) -> Int? {
        sent.withLock { times in
            times.removeAll { $0 <= now - 60 }
            guard times.count >= perMinute else {
                times.append(now)
                return nil
            }
            return max(1, (times.first ?? now) + 60 - now)
        }
    }
}
