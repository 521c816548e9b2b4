/// How lens-gpt reaches a Browse API: its description (paths, scope, names), the application
/// keyset of a developer account (client-credentials grant) and the API's base URL.
public struct BrowseAPIConfiguration: Sendable {
    public var description: MarketplaceAPIDescription
    /// Set by the operator (`--PREFIX-url`), so trusted even on loopback.
    public var baseURL: String
    public var clientID: String
    public var clientSecret: String
    /// Time limit of one search, the token request included.
    public var timeoutMillis = 15_000
    /// Items asked for per search (`limit`, at most 200).
    public var limit = 50
    /// A token is renewed this long before the API says it expires.
    public var refreshEarlySeconds = 60

    public init(clientID: String, clientSecret: String, description: MarketplaceAPIDescription = MarketplaceAPIs.browse) {
        self.description = description
        baseURL = description.baseURL
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}
