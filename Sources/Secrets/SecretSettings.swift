import Synchronization

/// A setting whose value is a credential, and how its value holds the secret part.
public struct SecretSetting: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        /// The whole value is the secret (an API key, a token).
        case whole
        /// `name=value; name=value`: each cookie's value is a secret (and the whole line).
        case cookieList
        /// A URL whose userinfo may hold a password (`redis://:PASS@host`).
        case urlPassword
    }

    /// The environment variable.
    public let variable: String
    public let shape: Shape

    public init(_ variable: String, _ shape: Shape = .whole) {
        self.variable = variable
        self.shape = shape
    }
}

/// The one place a setting is declared secret. Every value declared here is read from the
/// environment at startup and scrubbed from everything that leaves the process (events, stored
/// results, `/readyz`, `/metrics`, diagnostics, logs); a new credential needs only a line here,
/// or, for an API described by a data file above this layer, `declare(_:)` at startup.
/// Values that come from a flag or a file are registered where they are read
/// (`SecretScrubber.register(_:as:)`).
public enum SecretSettings {
    public static let openAIKey = SecretSetting("OPENAI_API_KEY")
    public static let hostedLensKey = SecretSetting("SERPAPI_API_KEY")
    public static let apiToken = SecretSetting("LENS_GPT_API_TOKEN")
    public static let lensCookies = SecretSetting("LENS_GPT_LENS_COOKIES", .cookieList)
    public static let store = SecretSetting("LENS_GPT_STORE", .urlPassword)
    /// Proxies may carry a user and password in their URL.
    public static let lensProxy = SecretSetting("LENS_GPT_LENS_PROXY", .urlPassword)
    public static let hostedLensProxy = SecretSetting("LENS_GPT_HOSTED_LENS_PROXY", .urlPassword)

    /// The key photo URLs are signed with when the operator sets one (shared by every gateway).
    public static let photoURLSecret = SecretSetting("LENS_GPT_PHOTO_URL_SECRET")

    /// The official APIs' credentials (a marketplace API's are named by its description and declared).
    public static let upcitemdbKey = SecretSetting("UPCITEMDB_USER_KEY")
    public static let braveKey = SecretSetting("BRAVE_SEARCH_API_KEY")
    public static let googleCSEKey = SecretSetting("GOOGLE_CSE_API_KEY")

    static let fixed: [SecretSetting] = [openAIKey, hostedLensKey, apiToken, lensCookies, store, lensProxy, hostedLensProxy,
                                         photoURLSecret, upcitemdbKey, braveKey, googleCSEKey]

    /// Declared at startup from data (the credential variables an API description names), before
    /// the environment is read.
    private static let declared = Mutex<[SecretSetting]>([])

    /// Adds settings to `all` (once each).
    public static func declare(_ settings: [SecretSetting]) {
        declared.withLock { list in
            for setting in settings where !fixed.contains(setting) && !list.contains(setting) { list.append(setting) }
        }
    }

    /// Every secret setting: the fixed ones and those declared.
    public static var all: [SecretSetting] { fixed + declared.withLock { $0 } }

    /// Query parameters whose value is a credential wherever a URL shows them: API keys, the
    /// photo URL's signature, and every `…token` / `…secret` (result tokens, OAuth tokens).
    static let parameterNames: Set<String> = ["api_key", "apikey", "api-key", "key", "user_key", "sig", "signature", "password", "passwd",
                                              "client_secret"]
    static let parameterSuffixes = ["token", "secret"]

    /// Whether a query parameter's value is a secret; `name` is decoded and lowercased by the caller.
    public static func isSecretParameter(_ name: some StringProtocol) -> Bool {
        parameterNames.contains(String(name)) || parameterSuffixes.contains { name.hasSuffix($0) }
    }
}
