import Outbound
import Pipeline
import Producers

/// The searches the stages run: web searches for maker pages (the APIs first, then result pages
/// in the browser) and the marketplaces for offers, per country, with the search canaries.
struct SearchSetup {
    var web: [any SearchService] = []
    /// `--country`'s marketplaces, for work outside a request (GTIN look-ups, `classify`).
    var marketplaces: [any SearchService] = []
    /// A request's own country (its locale) chooses the marketplaces for its offers.
    var marketplacesForCountry: (@Sendable (String) -> [any SearchService])?
    /// One known query through every marketplace and web-search profile on the canary's schedule.
    var canary: SearchCanary?

    static func make(_ options: PipelineOptions, pool: BrowserPool?, marketAPI api: BrowseAPIClient?, apis: WebAPISetup,
                     demo: DemoWiring?, dataDirectory: String) throws -> SearchSetup
    {
        var setup = SearchSetup()
        let webNames = PipelineSetup.list(options.webSearchProfile, env: "LENS_GPT_WEB_SEARCH_PROFILE")
        let pageNames = webNames.filter { !WebAPISetup.webSearchNames.contains($0) }
        setup.web = try apis.chosenSearches(webNames)
        let country = Setting.string(options.country, env: "LENS_GPT_COUNTRY", default: "US").uppercased()
        let namedMarkets = PipelineSetup.list(options.marketplaceProfile, env: "LENS_GPT_MARKETPLACE_PROFILE")
        guard let pool else {
            // Without a browser no results page can be searched, but the marketplace API needs none.
            if let api, namedMarkets.isEmpty || namedMarkets.contains(MarketplaceAPISearch.profileName) {
                let marketsFor: @Sendable (String) -> [any SearchService] = { place in
                    MarketplaceAPISearch(api: api, country: place).map { [$0] } ?? []
                }
                setup.marketplaces = marketsFor(country)
                setup.marketplacesForCountry = marketsFor
            }
            return setup
        }
        // Naming only APIs leaves the result pages out; naming none, they follow the APIs.
        var webProfiles = !webNames.isEmpty && pageNames.isEmpty ? []
            : try PipelineSetup.profiles(pageNames, default: SearchProfiles.defaultWebOrder.map { try SearchProfiles.named($0) })
        let chosenMarkets: [SearchProfile]? = namedMarkets.isEmpty ? nil
            : try PipelineSetup.profiles(namedMarkets.filter { $0 != MarketplaceAPISearch.profileName }, default: [])
        // The marketplace API runs when chosen, or by default when its keys are set: before the page reader of the same site.
        let marketAPI = namedMarkets.isEmpty ? api : namedMarkets.contains(MarketplaceAPISearch.profileName) ? api : nil
        if namedMarkets.contains(MarketplaceAPISearch.profileName) && api == nil {
            throw PipelineSetup.Failure(description: "the marketplace profile \(MarketplaceAPISearch.profileName) needs \(MarketplaceAPIs.browse.credentials)")
        }
        let offline = demo != nil
        if offline { webProfiles = DemoWiring.offline(webProfiles) }
        let diagnostics = dataDirectory + "/diagnostics"
        let marketsFor: @Sendable (String) -> [any SearchService] = { place in
            var markets = chosenMarkets ?? ((try? SearchProfiles.marketplaces(forCountry: place)) ?? [])
            if offline { markets = DemoWiring.offline(markets) }
            let pages: [any SearchService] = markets.map { BrowserSearch(pool: pool, profile: $0, country: place, diagnosticsDirectory: diagnostics) }
            return (marketAPI.flatMap { MarketplaceAPISearch(api: $0, country: place) }.map { [$0] } ?? []) + pages
        }
        _ = try chosenMarkets ?? SearchProfiles.marketplaces(forCountry: country)  // a bad --country fails at start
        setup.web += webProfiles.map { BrowserSearch(pool: pool, profile: $0, country: country, diagnosticsDirectory: diagnostics) }
        // The canary is on when an image or an interval is given: each profile then answers one known query per round.
        if Setting.string(options.visual.canaryInterval, env: "LENS_GPT_CANARY_INTERVAL") != nil
            || Setting.string(options.visual.canaryImage, env: "LENS_GPT_CANARY_IMAGE") != nil {
            let interval = try options.visual.canaryIntervalMillis()
            let searches = (marketsFor(country) + setup.web).compactMap { $0 as? BrowserSearch }
            setup.canary = SearchCanary(probes: searches.map {
                SearchCanary.Probe(search: $0, query: offline ? DemoWiring.canaryQuery : $0.profile.canaryQuery)
            }, intervalMillis: interval)
        }
        setup.marketplaces = marketsFor(country)
        setup.marketplacesForCountry = marketsFor
        return setup
    }
}
