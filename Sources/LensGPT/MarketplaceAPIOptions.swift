import ArgumentParser
import Producers
import Secrets

/// How the shipped Browse API (`Resources/apis`) is reached: turned on by an application keyset
/// in the environment variables its description names (secrets: from the environment only, never
/// a flag), used by its marketplace profile and its visual provider. The flags' names and help
/// come from the description (`--PREFIX-url`, `LENS_GPT_PREFIX_URL`).
struct MarketplaceAPIOptions: ParsableArguments {
    static let described = MarketplaceAPIs.browse

    @Option(name: .customLong(MarketplaceAPIOptions.described.flag("url")), help: ArgumentHelp(MarketplaceAPIOptions.described.helpText("url")))
    var apiUrl: String?
    @Option(name: .customLong(MarketplaceAPIOptions.described.flag("timeout_ms")), help: ArgumentHelp(MarketplaceAPIOptions.described.helpText("timeout_ms")))
    var apiTimeoutMs: String?
    @Option(name: .customLong(MarketplaceAPIOptions.described.flag("limit")), help: ArgumentHelp(MarketplaceAPIOptions.described.helpText("limit")))
    var apiLimit: String?

    var api: MarketplaceAPIDescription { MarketplaceAPIOptions.described }

    func timeoutMillis(default value: Int) throws -> Int {
        try Setting.int(apiTimeoutMs, env: api.environment("timeout_ms"), default: value, in: 1...600_000)
    }
    func itemLimit(default value: Int) throws -> Int { try Setting.int(apiLimit, env: api.environment("limit"), default: value, in: 1...200) }

    /// The numbers are checked when the command line is parsed, with or without a keyset.
    func validate() throws {
        try Setting.validating { _ = try (timeoutMillis(default: 1), itemLimit(default: 1)) }
    }

    /// The API client every stage shares (one application token per process), or nil when no
    /// keyset is set. `demo`: the demo world's replica and its keyset (`--demo-apis`), unless
    /// the environment names others.
    func client(demo: DemoWiring? = nil) throws -> BrowseAPIClient? {
        let id = Setting.environment(api.credentialID) ?? demo?.marketplaceAPI?.clientID
        let secret = Setting.environment(api.credentialSecret) ?? demo?.marketplaceAPI?.clientSecret
        guard let id, let secret else {
            if id != nil || secret != nil {
                throw SettingError(description: "\(api.owner)'s API needs both \(api.credentials) (an application keyset); only one is set")
            }
            return nil
        }
        // Scrubbed as the startup declaration scrubs them, for callers that did not go through it.
        for variable in [api.credentialID, api.credentialSecret] {
            if let value = Setting.environment(variable) { SecretScrubber.shared.register(value, as: SecretSetting(variable)) }
        }
        var configuration = BrowseAPIConfiguration(clientID: id, clientSecret: secret, description: api)
        configuration.baseURL = Setting.string(apiUrl, env: api.environment("url"), default: demo?.marketplaceAPI?.url ?? api.baseURL)
        guard configuration.baseURL.hasPrefix("https://") || configuration.baseURL.hasPrefix("http://") else {
            throw SettingError(description: "\(api.environment("url")) (or --\(api.flag("url"))) must be an http(s) URL, not \"\(configuration.baseURL)\"")
        }
        configuration.timeoutMillis = try timeoutMillis(default: configuration.timeoutMillis)
        configuration.limit = try itemLimit(default: configuration.limit)
        return BrowseAPIClient(configuration: configuration)
    }
}
