import HTTP
import Secrets

/// Signed result tokens and photo-URL signatures are credentials: they never reach the log.
public enum RequestLogRedaction {
    /// The target with the value of every query parameter `SecretSettings` calls secret (any case,
    /// percent-encoded or not: `token`, `TOKEN`, `%74oken`, `access_token`, the photo URL's `sig`,
    /// `api_key`) replaced by `REDACTED`.
    /// Every occurrence is redacted, not only the first: `?xtoken=1&token=<valid>` must not log
    /// the valid one.
    public static func redacted(_ target: String) -> String {
        // Byte search: this runs for every logged request, and "?" is ASCII (a character boundary).
        guard let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        let query = target[target.index(after: question)...]
        var changed = false
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> Substring in
            guard let equals = pair.firstIndex(of: "=") else { return pair }
            let rawName = pair[..<equals]
            // A malformed escape is still looked at as written.
            let name = (PercentDecoding.decode(rawName, plusAsSpace: true) ?? String(rawName)).lowercased()
            guard SecretSettings.isSecretParameter(name) else { return pair }
            changed = true
            return rawName + "=REDACTED"
        }
        guard changed else { return target }
        return String(target[...question]) + pairs.joined(separator: "&")
    }
}
