import ArgumentParser
import Producers

/// How eBay's Browse API is reached: turned on by an application keyset in `EBAY_CLIENT_ID` and
/// `EBAY_CLIENT_SECRET` (secrets: from the environment only, never a flag), used by the
/// marketplace profile `ebay-api` and the visual provider `ebay-image`.
struct EbayAPIOptions: ParsableArguments {
    @Option(help: "eBay Browse API base URL (LENS_GPT_EBAY_API_URL, default https://api.ebay.com). Turned on by EBAY_CLIENT_ID and EBAY_CLIENT_SECRET.")
    var ebayApiUrl: String?
    @Option(help: "Time limit of one eBay API call, the token request included, ms (LENS_GPT_EBAY_API_TIMEOUT_MS, default 15000).")
    var ebayApiTimeoutMs: String?
    @Option(help: "Items asked of eBay's API per search, 1 to 200 (LENS_GPT_EBAY_API_LIMIT, default 50).")
    var ebayApiLimit: String?

    func timeoutMillis(default value: Int) throws -> Int { try Setting.int(ebayApiTimeoutMs, env: "LENS_GPT_EBAY_API_TIMEOUT_MS", default: value, in: 1...600_000) }
    func itemLimit(default value: Int) throws -> Int { try Setting.int(ebayApiLimit, env: "LENS_GPT_EBAY_API_LIMIT", default: value, in: 1...200) }

    /// The numbers are checked when the command line is parsed, with or without a keyset.
    func validate() throws {
        try Setting.validating { _ = try (timeoutMillis(default: 1), itemLimit(default: 1)) }
    }

    /// The API client every stage shares (one application token per process), or nil when no
    /// keyset is set. `demo`: the demo world's replica and its keyset (`--demo-apis`), unless
    /// the environment names others.
    func client(demo: DemoWiring? = nil) throws -> EbayBrowseAPI? {
        let id = Setting.environment("EBAY_CLIENT_ID") ?? demo?.ebayAPI?.clientID
        let secret = Setting.environment("EBAY_CLIENT_SECRET") ?? demo?.ebayAPI?.clientSecret
        guard let id, let secret else {
            if id != nil || secret != nil {
                throw SettingError(description: "eBay's API needs both EBAY_CLIENT_ID and EBAY_CLIENT_SECRET (an application keyset); only one is set")
            }
            return nil
        }
        var configuration = EbayAPIConfiguration(clientID: id, clientSecret: secret)
        configuration.baseURL = Setting.string(ebayApiUrl, env: "LENS_GPT_EBAY_API_URL",
                                               default: demo?.ebayAPI?.url ?? EbayAPIConfiguration.defaultBaseURL)
        guard configuration.baseURL.hasPrefix("https://") || configuration.baseURL.hasPrefix("http://") else {
            throw SettingError(description: "LENS_GPT_EBAY_API_URL (or --ebay-api-url) must be an http(s) URL, not \"\(configuration.baseURL)\"")
        }
        configuration.timeoutMillis = try timeoutMillis(default: configuration.timeoutMillis)
        configuration.limit = try itemLimit(default: configuration.limit)
        return EbayBrowseAPI(configuration: configuration)
    }
}
