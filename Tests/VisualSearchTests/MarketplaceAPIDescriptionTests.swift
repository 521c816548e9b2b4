import Testing
@testable import LensGPT
@testable import Producers
import Secrets

/// A marketplace API is a description file (`Resources/apis`): every shipped one loads and names
/// what the client needs, and the command line's flags, environment names, help and secrets come
/// from it, not from Swift.
@Suite struct MarketplaceAPIDescriptionTests {
    @Test func everyShippedDescriptionLoadsAndNamesWhatTheCodeNeeds() throws {
        #expect(!shippedAPIFiles.isEmpty)
        let all = try MarketplaceAPIs.loaded.get()
        #expect(all.count == shippedAPIFiles.count)
        let profiles = Set(SearchProfiles.names)
        for api in all {
            #expect(api.baseURL.hasPrefix("https://"), "\(api.name)")
            for path in [api.tokenPath, api.searchPath, api.imageSearchPath] { #expect(path.hasPrefix("/"), "\(api.name): \(path)") }
            // Its marketplaces by country come from a shipped marketplace profile, and the fallback is one of them.
            let site = try #require(MarketplaceCatalog.named(api.siteProfile), "\(api.name): site_profile \(api.siteProfile)")
            #expect(!site.apiSiteIDs.isEmpty)
            #expect(site.apiSiteIDs.values.contains(api.fallbackMarketplace))
            #expect(!api.standsInFor.isEmpty)
            for name in api.standsInFor { #expect(profiles.contains(name), "\(api.name) stands in for \(name)") }
            // Its provider names are its own, not a page profile's.
            #expect(!profiles.contains(api.searchProvider) && !profiles.contains(api.imageProvider))
            // Each setting's help names its environment variable.
            for setting in MarketplaceAPIDescription.settings {
                #expect(api.helpText(setting).contains(api.environment(setting)), "\(api.name): \(setting)")
            }
            #expect(api.helpText("url").contains(api.baseURL) && api.helpText("url").contains(api.credentials))
        }
        #expect(all.contains { $0.contract == "browse" })
    }

    @Test func theShippedBrowseAPIIsEbays() {
        let api = MarketplaceAPIs.browse
        #expect(api.searchProvider == "ebay-api" && api.imageProvider == "ebay-image")
        #expect(api.flag("url") == "ebay-api-url" && api.environment("timeout_ms") == "LENS_GPT_EBAY_API_TIMEOUT_MS")
        #expect(api.credentialID == "EBAY_CLIENT_ID" && api.credentialSecret == "EBAY_CLIENT_SECRET")
        #expect(api.searchPath == "/buy/browse/v1/item_summary/search")
        #expect(api.imageSearchPath == "/buy/browse/v1/item_summary/search_by_image")
        #expect(api.tokenPath == "/identity/v1/oauth2/token" && api.scope == "https://api.ebay.com/oauth/api_scope")
        #expect(api.marketplaceHeader == "X-EBAY-C-MARKETPLACE-ID" && api.fallbackMarketplace == "EBAY_US")
    }

    /// A description missing a field the client needs is refused with the field's name.
    @Test func aDescriptionWithoutAFieldIsRefusedByName() throws {
        let file = try #require(shippedAPIFiles.first)
        let text = String(decoding: file.bytes, as: UTF8.self)
        let broken = text.replacing("\"token_path\"", with: "\"tokens_path\"")
        #expect(broken != text)
        let error = try #require(throws: MarketplaceAPIDescription.Invalid.self) {
            try MarketplaceAPIDescription.parse(Array(broken.utf8), name: "broken")
        }
        #expect(error.description.contains("token_path"))
        let noHelp = text.replacing("\"timeout_ms\":", with: "\"timeout\":")
        let missingHelp = try #require(throws: MarketplaceAPIDescription.Invalid.self) {
            try MarketplaceAPIDescription.parse(Array(noHelp.utf8), name: "broken")
        }
        #expect(missingHelp.description.contains("timeout_ms"))
    }

    /// Setting names follow the description's prefix.
    @Test func settingNamesComeFromThePrefix() throws {
        let file = try #require(shippedAPIFiles.first)
        let text = String(decoding: file.bytes, as: UTF8.self)
        let renamed = try MarketplaceAPIDescription.parse(Array(text.replacing("\"setting_prefix\": \"ebay-api\"", with: "\"setting_prefix\": \"shop-api\"").utf8),
                                                           name: "renamed")
        #expect(renamed.flag("timeout_ms") == "shop-api-timeout-ms")
        #expect(renamed.environment("url") == "LENS_GPT_SHOP_API_URL")
    }

    /// `serve`, `search` and `visual-search` list the flags and help sentences of the description.
    @Test func theFlagsAndHelpComeFromTheDescription() {
        let api = MarketplaceAPIs.browse
        for help in [ServeCommand.helpMessage(columns: 10_000), SearchCommand.helpMessage(columns: 10_000),
                     VisualSearchCommand.helpMessage(columns: 10_000)] {
            for setting in MarketplaceAPIDescription.settings {
                #expect(help.contains("--\(api.flag(setting))"))
                #expect(help.contains(api.helpText(setting)))
            }
        }
        #expect(ServeCommand.helpMessage(columns: 10_000).contains("--ebay-api-url"))
        #expect(ServeCommand.helpMessage(columns: 10_000).contains("\(api.searchProvider) (\(api.apiName), needs \(api.credentials))"))
        #expect(VisualSearchCommand.helpMessage(columns: 10_000).contains("google-lens, serpapi or \(api.imageProvider)."))
    }

    /// The credential variables the description names are declared secret at startup.
    @Test func theCredentialVariablesAreSecrets() {
        LensGPTCommand.declareSecrets()
        let names = Set(SecretSettings.all.map(\.variable))
        #expect(names.contains("EBAY_CLIENT_ID") && names.contains("EBAY_CLIENT_SECRET"))
        for variable in MarketplaceAPIs.credentialVariables { #expect(names.contains(variable)) }
    }
}
