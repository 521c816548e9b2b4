import ArgumentParser
import Gateway
import Outbound
import Pipeline
import Producers

/// Settings of the pipeline's stages, shared by `serve` and `classify`.
struct PipelineOptions: ParsableArguments {
    @OptionGroup var lens: LensOptions
    @OptionGroup var visual: VisualSearchOptions
    @OptionGroup var photo: PhotoReadingOptions
    @OptionGroup var marketAPI: MarketplaceAPIOptions
    /// The marketplace API the help texts name.
    static let api = MarketplaceAPIs.browse
    @OptionGroup var apis: WebAPIOptions
    @Flag(help: "Run without the browser even when one could be started (LENS_GPT_NO_BROWSER): no Google Lens in the browser and no marketplace or web-search result pages. The photo readers (barcodes, printed text), the APIs whose keys are set and identification still run.")
    var noBrowser = false
    @Flag(help: "Do not read barcodes and text from the photo (LENS_GPT_NO_PHOTO_READING).")
    var noPhotoReading = false
    @Option(help: "Chat model for the LLM steps (LENS_GPT_MODEL, default gpt-4o). The LLM is used when OPENAI_API_KEY or OPENAI_BASE_URL is set.")
    var model: String?
    @Flag(help: "Let page fetches reach loopback and private addresses (LENS_GPT_ALLOW_PRIVATE_FETCH); for tests and local shops only.")
    var allowPrivateFetch = false
    @Option(help: "Milliseconds allowed for one page fetch (LENS_GPT_FETCH_TIMEOUT_MS, default 10000).")
    var fetchTimeoutMs: String?
    @Option(help: "Largest page read, e.g. 4MiB; longer pages are cut (LENS_GPT_MAX_PAGE, default 4MiB).")
    var maxPage: String?
    @Option(help: "Largest Lens thumbnail kept and served at /results/{id}/thumbnails/{n}, e.g. 64KiB; larger ones are left out (LENS_GPT_MAX_THUMBNAIL, default 64KiB).")
    var maxThumbnail: String?
    @Option(help: "Exchange rates for comparing offers, as CUR=value pairs in one base, e.g. EUR=1,USD=0.92,GBP=1.17 (LENS_GPT_CURRENCY_RATES; default none: only the majority currency counts).")
    var currencyRates: String?
    @Option(help: "ECB euro reference rates (eurofxref-daily.xml) to convert prices into the run's currency; off: none (LENS_GPT_RATES_URL, default the ECB's). Fetched at most every 6 hours, cached in the data directory.")
    var ratesUrl: String?
    @Option(help: "A file in the ECB's eurofxref-daily.xml shape to use instead of fetching (LENS_GPT_RATES_FILE).")
    var ratesFile: String?
    @Option(help: "Web search profile for finding maker pages, a shipped name (\(SearchProfiles.helpList(.web))), an API (brave-api, google-cse) or a file; repeat to try several in order, the APIs first (LENS_GPT_WEB_SEARCH_PROFILE, comma-separated; default: the APIs whose keys are set, then \(SearchProfiles.defaultWebOrder.joined(separator: ", "))).")
    var webSearchProfile: [String] = []
    @Option(help: ArgumentHelp("Marketplace search profile, a shipped name (\(SearchProfiles.helpList(.marketplace))), \(PipelineOptions.api.searchProvider) (\(PipelineOptions.api.apiName), needs \(PipelineOptions.api.credentials)) or a file; repeatable (LENS_GPT_MARKETPLACE_PROFILE, comma-separated; default: the shipped set for --country, after \(PipelineOptions.api.searchProvider) when \(PipelineOptions.api.owner)'s keys are set)."))
    var marketplaceProfile: [String] = []
    @Option(help: ArgumentHelp("Country (ISO 3166 code) whose marketplaces and \(PipelineOptions.api.owner) site the offers come from (LENS_GPT_COUNTRY, default US)."))
    var country: String?
    @Option(help: "Identification below this confidence (0 to 1) abstains: model-producer names no product and the stages that need one are skipped (LENS_GPT_IDENTIFY_FLOOR, default \(IdentificationProducer.defaultFloor)).")
    var identifyFloor: String?

    // Each number once; `validate` checks them all when the command line is parsed.
    func floor() throws -> Double { try Setting.fraction(identifyFloor, env: "LENS_GPT_IDENTIFY_FLOOR", default: IdentificationProducer.defaultFloor) }
    func thumbnailBytes() throws -> Int { try Setting.bytes(maxThumbnail, env: "LENS_GPT_MAX_THUMBNAIL", default: 64 * 1024, in: 1...(16 << 20)) }
    func fetchTimeoutMillis(default value: Int) throws -> Int { try Setting.int(fetchTimeoutMs, env: "LENS_GPT_FETCH_TIMEOUT_MS", default: value, in: 1...600_000) }
    func pageBytes(default value: Int) throws -> Int { try Setting.bytes(maxPage, env: "LENS_GPT_MAX_PAGE", default: value, in: 1024...(1 << 30)) }

    func validate() throws {
        try Setting.validating {
            _ = try (floor(), thumbnailBytes(), fetchTimeoutMillis(default: 1), pageBytes(default: 1024))
        }
    }
}

/// The stage tree and what it runs on, built from the options.
struct PipelineSetup {
    let lens: LensSetup?
    /// The visual-search providers, the photo shelf the hosted ones need, the canary.
    let visual: VisualSearchSetup
    /// `--no-browser` was given: no Lens step by choice (not for want of a chromedriver).
    let browserDisabled: Bool
    /// The Lens thumbnails the gateway serves (nil for the in-process `classify`).
    let thumbnails: (any ThumbnailStore)?
    let graph: PipelineGraph
    let llmDescription: String
    /// One known query through every marketplace and web-search profile on the canary's schedule.
    var searchCanary: SearchCanary?

    /// `/readyz` and `/metrics` entries: the visual-search canary's and the search canaries'.
    var monitors: [any ServiceMonitor] { visual.monitors + (searchCanary.map { [SearchCanaryMonitor(canary: $0)] } ?? []) }

    /// For `/readyz`: the browser's state (the LLM and pages are reached per request).
    var readinessChecks: [@Sendable () -> (name: String, state: String, ok: Bool)] {
        let pool = lens?.pool
        return [{
            let state = pool?.browserState ?? .notConfigured
            return ("browser", state.rawValue, state == .ready || state == .notConfigured)
        }]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `chat`: the LLM to use instead of the one OPENAI_API_KEY / OPENAI_BASE_URL describe (tests).
    /// `demo`: the offline demo world in place of Lens, the web and the ECB (`--demo`).
    /// `servesPhotos`: a gateway will answer the signed photo URLs hosted Lens APIs fetch (`serve`).
    /// `retentionSeconds`: set when a gateway serves the results, which then keeps thumbnails
    /// that long under the data directory.
    static func make(_ options: PipelineOptions, dataDirectory: String, stageTimeoutMillis: Int,
                     syntheticStageMillis: Int = 0, demo demoWorld: DemoWiring? = nil,
                     maxPixels: Int? = nil, chat configured: ChatConfiguration? = nil, servesPhotos: Bool = false,
                     maxUploadBytes: Int = 20 << 20, retentionSeconds: Int? = nil, demoAPIs: DemoAPIEndpoints? = nil) throws -> PipelineSetup
    {
        let allowPrivate = try Setting.bool(options.allowPrivateFetch, env: "LENS_GPT_ALLOW_PRIVATE_FETCH")
        let browserDisabled = try Setting.bool(options.noBrowser, env: "LENS_GPT_NO_BROWSER")
        let lens = browserDisabled ? nil
            : try LensSetup.make(options.lens, dataDirectory: dataDirectory, lensURL: demoWorld?.lensURL,
                                 browserProxy: demoWorld?.proxyURL ?? Setting.string(options.visual.lensProxy, env: "LENS_GPT_LENS_PROXY"),
                                 proxyOnlyDomains: demoWorld == nil ? [] : ["example"],  // the demo world's web (RFC 2606 names)
                                 allowPrivate: allowPrivate)
        // One client, so one application token, for every stage and country.
        let marketAPI = try options.marketAPI.client(demo: demoWorld)
        let visual = try VisualSearchSetup.make(options.visual, lens: lens?.runner, demoWorld: demoWorld, servesPhotos: servesPhotos,
                                                maxUploadBytes: maxUploadBytes, marketAPI: marketAPI)
        var d = StageDependencies()
        d.stageTimeoutMillis = stageTimeoutMillis
        d.syntheticStageMillis = syntheticStageMillis
        d.identifyFloor = try options.floor()
        d.lens = lens?.runner
        d.visualSearch = visual.providers
        d.refineBelow = visual.refineBelow
        d.photoReading = try Setting.bool(options.noPhotoReading, env: "LENS_GPT_NO_PHOTO_READING") ? nil : try options.photo.limits()
        // The gateway's pixel limit (`serve --max-pixels`) is the photo readers' too.
        if let maxPixels { d.photoReading?.maxPixels = maxPixels }
        d.photoTextLanguage = options.photo.language
        let maxThumbnail = try options.thumbnailBytes()
        if let retentionSeconds {
            d.thumbnails = FileThumbnailStore(directory: dataDirectory + "/thumbnails", maxBytes: maxThumbnail, retentionSeconds: retentionSeconds)
        }

        let chat = ChatClient(configuration: configured ?? .fromEnvironment(model: Setting.string(options.model, env: "LENS_GPT_MODEL")))
        if chat.isEnabled { d.chat = ChatAdapter(client: chat) }

        d.pages = try pages(options, allowPrivate: allowPrivate, demo: demoWorld)
        (d.estimator, d.exchangeRates) = try prices(options, dataDirectory: dataDirectory, demo: demoWorld)

        // The official APIs: barcode databases for the photo's GTIN, web-search APIs before the result pages.
        let apis = try WebAPISetup.make(options.apis, demo: demoAPIs, offline: demoWorld != nil)
        d.barcodeLookup = apis.barcodeLookup
        if let pool = lens?.pool { d.renderer = BrowserPageRenderer(pool: pool) }
        let searches = try SearchSetup.make(options, pool: lens?.pool, marketAPI: marketAPI, apis: apis, demo: demoWorld, dataDirectory: dataDirectory)
        d.marketplaceSearches = searches.marketplaces
        d.marketplaceSearchesForCountry = searches.marketplacesForCountry
        let webSearches = searches.web
        if !webSearches.isEmpty { d.webSearch = webSearches.count == 1 ? webSearches[0] : SearchChain(webSearches) }
        let description = chat.isEnabled ? "LLM \(chat.configuration.model) at \(chat.configuration.baseURL)" : "no LLM (heuristic methods)"
        return PipelineSetup(lens: lens, visual: visual, browserDisabled: browserDisabled, thumbnails: d.thumbnails, graph: try StageTree.graph(d),
                             llmDescription: description, searchCanary: searches.canary)
    }

    /// How pages are fetched: the address rule, the limits, the demo world's proxy.
    static func pages(_ options: PipelineOptions, allowPrivate: Bool, demo: DemoWiring?) throws -> FetcherPages {
        var policy = FetchPolicy()
        policy.allowPrivate = allowPrivate
        policy.timeoutMillis = try options.fetchTimeoutMillis(default: policy.timeoutMillis)
        policy.maxBytes = try options.pageBytes(default: policy.maxBytes)
        policy.proxy = demo?.proxyURL
        return FetcherPages(policy: policy, http: HTTPClient())
    }

    /// The estimator with the operator's fixed rates, and the ECB's reference rates (the demo's offline).
    static func prices(_ options: PipelineOptions, dataDirectory: String, demo: DemoWiring?) throws -> (PriceEstimator, ExchangeRateSource) {
        let estimator = PriceEstimator(rates: try rates(Setting.string(options.currencyRates, env: "LENS_GPT_CURRENCY_RATES")))
        let ratesURL = Setting.string(options.ratesUrl, env: "LENS_GPT_RATES_URL", default: demo?.exchangeRatesURL ?? ExchangeRateSource.ecbDailyURL)
        let source = ExchangeRateSource(url: ratesURL == "off" ? nil : ratesURL, cachePath: dataDirectory + "/exchange-rates.xml",
                                        ratesFile: Setting.string(options.ratesFile, env: "LENS_GPT_RATES_FILE"))
        do {
            try source.load()
        } catch {
            throw Failure(description: error.description)
        }
        return (estimator, source)
    }

    /// A repeatable flag's values, else its variable's comma-separated list.
    static func list(_ flag: [String], env: String) -> [String] {
        if !flag.isEmpty { return flag }
        return (Setting.environment(env) ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    }

    /// The named or filed profiles, or the default set when none is named.
    static func profiles(_ names: [String], default fallback: @autoclosure () throws -> [SearchProfile]) throws -> [SearchProfile] {
        do {
            return names.isEmpty ? try fallback() : try names.map { try SearchProfiles.resolve($0) }
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// `EUR=1,USD=0.92` → ["EUR": 1, "USD": 0.92].
    static func rates(_ text: String?) throws -> [String: Double] {
        guard let text, !text.isEmpty else { return [:] }
        var rates: [String: Double] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: " ")), value > 0 else {
                throw Failure(description: "currency rates must look like EUR=1,USD=0.92, not \"\(pair)\"")
            }
            rates[parts[0].trimmingCharacters(in: " ").uppercased()] = value
        }
        return rates
    }
}
