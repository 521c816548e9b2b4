import Outbound
import Pipeline

/// Why a Lens search gave no matches, as the distinct `stage-error` codes of the `lens-matches` stage.
public enum LensFailure: Error, Sendable {
    /// A bot check (`/sorry/index`, "unusual traffic", a reCAPTCHA).
    case blocked(String)
    /// A consent wall that was not passed.
    case consent(String)
    case noMatches(String)
    /// A step did not finish in time (page, upload, results).
    case timeout(String)
    /// No browser session, or the browser went away during the search.
    case browserUnavailable(String)
    /// The browser works but cannot reach the site (no network, DNS, a proxy that refuses).
    case networkUnavailable(String)

    public var code: String {
        switch self {
        case .blocked: "lens_blocked"
        case .consent: "lens_consent"
        case .noMatches: "lens_no_matches"
        case .timeout: "lens_timeout"
        case .browserUnavailable: "browser_unavailable"
        case .networkUnavailable: "network_unavailable"
        }
    }

    public var message: String {
        switch self {
        case .blocked(let m), .consent(let m), .noMatches(let m), .timeout(let m), .browserUnavailable(let m),
             .networkUnavailable(let m): m
        }
    }

    /// Lens often answers a retry (LENS.md: treat an empty result as a failure to retry); a
    /// consent wall the profile cannot pass needs the profile fixed first.
    public var retryable: Bool {
        if case .consent = self { return false }
        return true
    }

    public func stageError(artifacts: [String] = []) -> StageError {
        StageError(code: code, message: message, retryable: retryable, artifacts: artifacts)
    }

    /// A WebDriver failure during a step: the browser is gone, or the step ran out of time.
    static func from(_ error: WebDriverError, during step: String) -> LensFailure {
        if let reason = NetworkErrorText.chromiumReason(error.message) {
            return .networkUnavailable(NetworkErrorText.advice(step: step, reason: reason))
        }
        switch error.code {
        case .timeout, .scriptTimeout:
            return .timeout("\(step): \(error.message)")
        default:
            return .browserUnavailable("\(step): \(error.description)")
        }
    }
}
