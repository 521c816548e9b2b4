/// Telling "the network is down" from "the browser is broken", and saying what to do about it.
enum NetworkErrorText {
    /// Chromium's network error names (`net::ERR_NAME_NOT_RESOLVED`, `…_CONNECTION_REFUSED`,
    /// `…_INTERNET_DISCONNECTED`, `…_PROXY_CONNECTION_FAILED`, …) as WebDriver reports them.
    static func chromiumReason(_ message: String) -> String? {
        guard let start = message.range(of: "net::ERR_") else { return nil }
        let name = message[start.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        return String(name)
    }

    static func advice(step: String, reason: String) -> String {
        "\(step): the site could not be reached (\(reason)). Check this machine's network and DNS, "
            + "or the provider's proxy setting; the browser itself is fine"
    }
}
