import JSON
import Testing
@testable import Producers

/// Every marketplace and search site is one file in `Resources/profiles`: the catalog, the
/// country's marketplaces and the web-search order are read from those files.
@Suite struct ShippedProfileFilesTests {
    @Test func everyShippedFileIsReadAndEachMarketplaceIsKnownOnce() throws {
        #expect(SearchProfiles.documents.count == shippedProfileFiles.count, "every shipped file is JSON")
        let markets = try MarketplaceCatalog.loaded.get()
        #expect(markets.count == 23)
        #expect(Set(markets.map(\.name)).count == markets.count)
        #expect(Set(markets.flatMap(\.labels)).count == markets.flatMap(\.labels).count, "a registrable name belongs to one marketplace")
        // A file with no search part is a marketplace recognised in links, not a search profile.
        #expect(MarketplaceCatalog.named("poshmark")?.name == "Poshmark")
        #expect(!SearchProfiles.names.contains("poshmark"))
        #expect(throws: SearchProfile.Invalid.self) { try SearchProfiles.named("poshmark") }
        // Each marketplace search is a marketplace of the catalog (its own file's, or the one it extends).
        for profile in SearchProfiles.ordered(.marketplace) {
            let base = SearchProfiles.documents.first { $0.name == profile.name }?.root["extends"]?.stringValue ?? profile.name
            #expect(MarketplaceCatalog.named(base) != nil, "\(profile.name) has a marketplace object")
        }
        // The site's words in titles come from its file.
        #expect(TitleWords.siteWords.contains("kleinanzeigen") && TitleWords.noise.contains("mercari"))
        #expect(TitleWords.interfacePhrases.contains(["shop", "on", "ebay"]))
    }

    @Test func theDefaultSearchesFollowTheFilesOrderAndCountries() throws {
        #expect(SearchProfiles.defaultWebOrder == ["duckduckgo", "duckduckgo-lite", "bing", "brave"])
        #expect(try SearchProfiles.marketplaces(forCountry: "GB").map(\.name) == ["ebay", "ebay-sold", "depop"])
        #expect(try SearchProfiles.marketplaces(forCountry: "ca").map(\.name) == ["ebay", "ebay-sold"])
        #expect(try SearchProfiles.marketplaces(forCountry: "BR").isEmpty, "no shipped marketplace has a site there")
        #expect(SearchProfiles.helpList(.marketplace) == "mercari, ebay, ebay-sold, kleinanzeigen, depop; vinted is off by default: ask for it by name")
        #expect(SearchProfiles.helpList(.web) == "duckduckgo, duckduckgo-lite, bing, brave; startpage is off by default: ask for it by name")
    }

    @Test func aMarketplaceObjectIsCheckedFieldByField() throws {
        func parse(_ text: String) throws -> Marketplace? { try Marketplace.parse(try JSONParser.parse(Array(text.utf8)), origin: "test") }
        #expect(try parse(#"{"name": "plain"}"#) == nil, "a file without a marketplace object is none")
        let market = try #require(try parse("""
            {"name": "swapshop", "marketplace": {"display_name": "Swap Shop", "registrable_names": ["swapshop"],
             "listing_paths": ["/Item/"], "condition_labels": ["state"], "conditions": {"Like-New": "like_new"}}}
            """))
        #expect(market.id == "swapshop" && market.name == "Swap Shop")
        #expect(market.condition(of: "like new") == "like_new", "wording is matched as lower-case words")
        #expect(market.isListing("https://swapshop.example/item/1"))
        do {
            _ = try parse(#"{"name": "x", "marketplace": {"display_name": "X", "registrable_names": ["x"], "listing_paths": ["/i/"], "conditions": {"mint": "perfect"}}}"#)
            Issue.record("an unknown grade was accepted")
        } catch {
            #expect(String(describing: error).contains("marketplace.conditions.mint must be one of"))
        }
        #expect(throws: SearchProfile.Invalid.self, "an API site ID is a string") {
            try parse(#"{"name": "x", "marketplace": {"display_name": "X", "registrable_names": ["x"], "listing_paths": ["/i/"], "api_site_ids": {"US": 1}}}"#)
        }
        #expect(throws: SearchProfile.Invalid.self, "a marketplace needs listing paths") {
            try parse(#"{"name": "x", "marketplace": {"display_name": "X", "registrable_names": ["x"]}}"#)
        }
    }
}
