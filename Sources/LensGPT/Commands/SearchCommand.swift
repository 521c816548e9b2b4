import ArgumentParser
import Glibc
import JSON
import Pipeline
import Producers

/// `lens-gpt search PROFILE --url URL`: one search profile run in the browser on one results
/// page, its reading as JSON on stdout. A stable contract: tests and held-out checks use it.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Run one search profile in the browser and print what it read as JSON.",
        discussion: """
            PROFILE is a shipped profile's name (\(SearchProfiles.names.joined(separator: ", "))), \(api.searchProvider) (\(api.apiName) \
            with \(api.credentials); --query and/or --gtin), a web-search API \
            (brave-api with BRAVE_SEARCH_API_KEY, google-cse with GOOGLE_CSE_API_KEY and GOOGLE_CSE_ID; --query only, \
            no browser; its results also carry the link as "url"; a failure exits 1 naming api_rate_limited with \
            retry_after_seconds, api_unauthorized, api_failed or network_unavailable) or a profile file. \
            Prints {"state": "results"|"empty"|"blocked"|"unrecognized", "degraded": BOOL, "listings": [...]} for \
            marketplace profiles (title, link, price, price_max, currency, shipping, condition, wear, sold, sold_date; \
            null where unknown) or {"state": ..., "degraded": BOOL, "results": [{title, link, snippet}]} for web-search \
            profiles. "degraded": the profile's item selector found nothing and the results were read around the \
            site's item links (the profile is stale). "unrecognized": a page that is neither results, the site's \
            no-results page nor a bot check (screenshot and page source in "artifacts"). Exits 0 for results and \
            empty, 3 for a bot check, 4 for an unrecognized page, 1 with a JSON error on stderr otherwise. Shipped profiles off by default \
            (no saved real page covers them): \(offByDefault).
            """
    )

    /// The marketplace API its help names.
    static let api = MarketplaceAPIs.browse
    /// The shipped profiles no saved real page covers, marketplaces first.
    static var offByDefault: String {
        (SearchProfiles.ordered(.marketplace) + SearchProfiles.ordered(.web)).filter { !$0.enabledByDefault }.map(\.name).joined(separator: ", ")
    }

    @Argument(help: "A shipped profile's name or a profile JSON file.") var profile: String?
    @Option(help: "The results page to open (default: the profile's URL for --query).") var url: String?
    @Option(help: "The query, when no --url is given.") var query: String?
    @Option(help: ArgumentHelp("\(SearchCommand.api.searchProvider) only: the GTIN (UPC, EAN, ISBN) to search for, with or instead of --query."))
    var gtin: String?
    @OptionGroup var marketAPI: MarketplaceAPIOptions
    @Option(help: "Results read at most (default: the profile's max_results).") var max: Int?
    @Option(help: "Country whose site the profile uses for --query (LENS_GPT_COUNTRY, default US).") var country: String?
    @OptionGroup var lens: LensOptions
    @OptionGroup var apis: WebAPIOptions
    @OptionGroup var browsing: BrowserRunOptions
    @Flag(help: "Print the shipped profile PROFILE (to edit and pass back as a file) and exit.") var printProfile = false

    func validate() throws {
        if let max { try Setting.check(max, "--max", in: 1...1000) }
    }

    func run() throws {
        guard let name = profile else { throw ValidationError("PROFILE is required (one of \(SearchProfiles.names.joined(separator: ", ")), or a file)") }
        if printProfile {
            guard let text = SearchProfiles.text(name) else { fail("invalid_settings", "no shipped search profile is called \(name)") }
            print(text, terminator: "")
            return
        }
        signal(SIGPIPE, SIG_IGN)
        if name == MarketplaceAPISearch.profileName {
            MarketplaceAPISearchRun.run(query: query, gtin: gtin, country: Setting.string(country, env: "LENS_GPT_COUNTRY", default: "US").uppercased(),
                                 max: max, timeoutMillis: browsing.timeoutMs, options: marketAPI)
        }
        if WebAPISetup.webSearchNames.contains(name) { runAPI(name) }
        var chosen: SearchProfile
        do {
            chosen = try SearchProfiles.resolve(name)
        } catch {
            fail("invalid_settings", error.description)
        }
        if let max {
            chosen = chosen.readingAtMost(max)
        }
        let place = Setting.string(country, env: "LENS_GPT_COUNTRY", default: "US").uppercased()
        guard let target = url ?? query.map({ chosen.url(for: $0, country: place) }) else {
            throw ValidationError("--url or --query is required")
        }
        guard target.hasPrefix("http://") || target.hasPrefix("https://") else { fail("invalid_settings", "--url must be an http(s) URL") }
        let dataDirectory = browsing.dataDirectory()
        let setup: LensSetup
        do {
            guard let made = try LensSetup.make(lens, dataDirectory: dataDirectory, defaultPoolSize: 1, trustedURLs: url.map { [$0] } ?? []) else {
                fail("browser_unavailable", "no WebDriver URL is set and chromedriver is not on PATH", retryable: false)
            }
            setup = made
        } catch {
            fail("invalid_settings", "\(error)")
        }
        let search = BrowserSearch(pool: setup.pool, profile: chosen, country: place, diagnosticsDirectory: dataDirectory + "/diagnostics")
        let outcome: SearchOutcome
        do {
            outcome = try search.run(url: target, timeoutMillis: browsing.timeoutMs)
        } catch {
            setup.pool.shutdown()
            fail(error.code, error.message, retryable: error.retryable, artifacts: error.artifacts)
        }
        setup.pool.shutdown()
        var object: JSONObject = ["state": .string(outcome.state.rawValue), "degraded": .bool(outcome.degraded)]
        switch chosen.kind {
        case .marketplace: object["listings"] = .array(outcome.hits.map { SearchListing($0).json })
        case .web:
            object["results"] = .array(outcome.hits.map {
                ["title": .string($0.title), "link": .string($0.link), "snippet": .optional($0.snippet)]
            })
        }
        if !outcome.artifacts.isEmpty { object["artifacts"] = .array(outcome.artifacts.map(JSONValue.string)) }
        print(JSONValue.object(object).serialized())
        if outcome.state == .blocked { Glibc.exit(3) }
        if outcome.state == .unrecognized { Glibc.exit(4) }
    }

    /// A web-search API: one request, its organic results in order.
    private func runAPI(_ name: String) -> Never {
        guard let query, !query.isEmpty else { fail("invalid_settings", "\(name) takes --query (it has no results page to open)") }
        let search: any WebSearchAPI
        do {
            search = try WebAPISetup.make(apis, resultCount: max).search(named: name)
        } catch {
            fail("invalid_settings", "\(error)")
        }
        let hits: [SearchHit]
        do {
            hits = try search.results(query, timeoutMillis: browsing.timeoutMs)
        } catch {
            fail(error.json)
        }
        let results: [JSONValue] = hits.map {
            ["title": .string($0.title), "link": .string($0.link), "url": .string($0.link), "snippet": .optional($0.snippet)]
        }
        print(JSONValue.object(["state": .string(results.isEmpty ? "empty" : "results"), "results": .array(results)]).serialized())
        Glibc.exit(0)
    }

    private func fail(_ code: String, _ message: String, retryable: Bool = false, artifacts: [String] = []) -> Never {
        CommandOutput.fail(code, message, retryable: retryable, artifacts: artifacts)
    }

    private func fail(_ error: JSONObject) -> Never { CommandOutput.fail(.object(error)) }
}
