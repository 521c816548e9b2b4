import JSON

/// A marketplace's official listing API as data: one file in `Resources/apis` says which contract
/// it follows (`"contract": "browse"`, `BrowseAPIClient`), where it answers, what lens-gpt calls
/// it (provider and setting names, help sentences) and which environment variables hold its
/// credentials. The Swift code knows the contract, the file knows the company.
public struct MarketplaceAPIDescription: Sendable {
    /// The file's name (`NAME.json`).
    public let name: String
    /// The contract the client implements (`browse`).
    public let contract: String
    /// The company, in messages ("X's token endpoint") and as a match's source.
    public let owner: String
    /// The API as help texts name it ("X's Browse API").
    public let apiName: String
    /// The marketplace profile name of its keyword search, and the visual provider of its search by image.
    public let searchProvider: String
    public let imageProvider: String
    /// The page profiles its search replaces when it answered.
    public let standsInFor: [String]
    /// The marketplace profile whose `api_site_ids` name the API's marketplaces by country.
    public let siteProfile: String
    /// The marketplace searched by image for a country with none of its own.
    public let fallbackMarketplace: String
    public let baseURL: String
    public let tokenPath: String
    /// The OAuth scope every search needs.
    public let scope: String
    public let searchPath: String
    public let imageSearchPath: String
    /// The request header naming the marketplace.
    public let marketplaceHeader: String
    /// Environment variables of the application keyset (secrets: never a flag).
    public let credentialID: String
    public let credentialSecret: String
    /// The stem of its settings: `--PREFIX-url` and `LENS_GPT_PREFIX_URL`.
    public let settingPrefix: String
    /// Help sentences of its settings, by setting suffix (`url`, `timeout_ms`, `limit`).
    public let help: [String: String]

    /// Why a shipped description cannot be used.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Reads one description; names the missing field otherwise.
    public static func parse(_ bytes: [UInt8], name: String) throws(Invalid) -> MarketplaceAPIDescription {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw Invalid(description: "the API description \(name): \(error)") }
        func text(_ key: String, in value: JSONValue? = nil) throws(Invalid) -> String {
            guard let found = (value ?? root)[key]?.stringValue, !found.isEmpty else {
                throw Invalid(description: "the API description \(name) has no \"\(key)\"")
            }
            return found
        }
        let credentials = root["credentials"] ?? .null
        var help: [String: String] = [:]
        for (key, value) in root["help"]?.objectValue?.entries ?? [] { help[key] = value.stringValue }
        let description = MarketplaceAPIDescription(
            name: name, contract: try text("contract"), owner: try text("owner"), apiName: try text("api_name"),
            searchProvider: try text("search_provider"), imageProvider: try text("image_provider"),
            standsInFor: (root["stands_in_for"]?.arrayValue ?? []).compactMap(\.stringValue), siteProfile: try text("site_profile"),
            fallbackMarketplace: try text("fallback_marketplace"), baseURL: try text("base_url"), tokenPath: try text("token_path"),
            scope: try text("scope"), searchPath: try text("search_path"), imageSearchPath: try text("image_search_path"),
            marketplaceHeader: try text("marketplace_header"), credentialID: try text("id", in: credentials),
            credentialSecret: try text("secret", in: credentials), settingPrefix: try text("setting_prefix"), help: help)
        for key in MarketplaceAPIDescription.settings where help[key] == nil {
            throw Invalid(description: "the API description \(name) has no help for \"\(key)\"")
        }
        return description
    }

    /// The settings every marketplace API has, by suffix.
    public static let settings = ["url", "timeout_ms", "limit"]

    /// `PREFIX-SUFFIX`, the flag's name without its dashes: `flag("timeout_ms")` is `shop-api-timeout-ms` for the prefix `shop-api`.
    public func flag(_ suffix: String) -> String { settingPrefix + "-" + suffix.replacing("_", with: "-") }

    /// `LENS_GPT_PREFIX_SUFFIX`.
    public func environment(_ suffix: String) -> String { "LENS_GPT_" + flag(suffix).uppercased().replacing("-", with: "_") }

    /// The help sentence of a setting (every one is checked present when the file is read).
    public func helpText(_ suffix: String) -> String { help[suffix] ?? "" }

    /// "ID and SECRET", as messages name the keyset.
    public var credentials: String { "\(credentialID) and \(credentialSecret)" }

    /// "needs an OWNER application keyset in ID and SECRET", for a command that cannot run without one.
    public var keysetWanted: String { "needs an \(owner) application keyset in \(credentials)" }
}

/// Every shipped API description (`Resources/apis`, listed by the ProfileIndex plugin).
public enum MarketplaceAPIs {
    /// Every file read, or the first that is not valid (a test keeps the shipped ones valid).
    static let loaded: Result<[MarketplaceAPIDescription], MarketplaceAPIDescription.Invalid> = Result {
        () throws(MarketplaceAPIDescription.Invalid) in
        var found: [MarketplaceAPIDescription] = []
        for file in shippedAPIFiles { found.append(try MarketplaceAPIDescription.parse(file.bytes, name: file.name)) }
        return found
    }

    public static var all: [MarketplaceAPIDescription] { (try? loaded.get()) ?? [] }

    /// The API `BrowseAPIClient` speaks to: the first shipped description of the `browse`
    /// contract. The files are compiled in and a test reads each, so a broken one is a build
    /// that never ships; it stops the program at once with the reason rather than run without
    /// its settings.
    public static let browse: MarketplaceAPIDescription = {
        switch loaded {
        case .success(let all):
            guard let first = all.first(where: { $0.contract == "browse" }) else { fatalError("no shipped API description of the browse contract") }
            return first
        case .failure(let invalid):
            fatalError(invalid.description)
        }
    }()

    /// The secret settings the shipped descriptions declare, for the secrets registry.
    public static var credentialVariables: [String] { all.flatMap { [$0.credentialID, $0.credentialSecret] } }
}
