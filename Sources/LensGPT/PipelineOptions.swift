import ArgumentParser
import Outbound
import Pipeline
import Producers

/// Settings of the pipeline's stages, shared by `serve` and `classify`.
struct PipelineOptions: ParsableArguments {
    @OptionGroup var lens: LensOptions
    @Flag(help: "Run without the Lens step even when a browser could be started (LENS_GPT_NO_BROWSER); runs then give image-info only.")
    var noBrowser = false
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
    @Option(help: "Web search profile JSON for finding maker pages (LENS_GPT_WEB_SEARCH_PROFILE, default: built in).")
    var webSearchProfile: String?
    @Option(help: "Marketplace search profile JSON (LENS_GPT_MARKETPLACE_PROFILE, default: the built-in eBay search).")
    var marketplaceProfile: String?
}

/// The stage tree and what it runs on, built from the options.
struct PipelineSetup {
    let lens: LensSetup?
    /// `--no-browser` was given: no Lens step by choice (not for want of a chromedriver).
    let browserDisabled: Bool
    /// The Lens thumbnails the gateway serves (nil for the in-process `classify`).
    let thumbnails: (any ThumbnailStore)?
    let graph: PipelineGraph
    let llmDescription: String

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
    /// `retentionSeconds`: set when a gateway serves the results, which then keeps thumbnails
    /// that long under the data directory.
    static func make(_ options: PipelineOptions, dataDirectory: String, stageTimeoutMillis: Int,
                     syntheticStageMillis: Int = 0, demo: DemoWiring? = nil,
                     chat configured: ChatConfiguration? = nil, retentionSeconds: Int? = nil) throws -> PipelineSetup
    {
        let browserDisabled = try Setting.bool(options.noBrowser, env: "LENS_GPT_NO_BROWSER")
        let lens = browserDisabled ? nil
            : try LensSetup.make(options.lens, dataDirectory: dataDirectory, lensURL: demo?.lensURL,
                                 browserProxy: demo?.proxyURL)
        var d = StageDependencies()
        d.stageTimeoutMillis = stageTimeoutMillis
        d.syntheticStageMillis = syntheticStageMillis
        d.lens = lens?.runner
        let maxThumbnail = try Setting.bytes(options.maxThumbnail, env: "LENS_GPT_MAX_THUMBNAIL", default: 64 * 1024)
        if let retentionSeconds {
            d.thumbnails = FileThumbnailStore(directory: dataDirectory + "/thumbnails", maxBytes: maxThumbnail, retentionSeconds: retentionSeconds)
        }

        let chat = ChatClient(configuration: configured ?? .fromEnvironment(model: Setting.string(options.model, env: "LENS_GPT_MODEL")))
        if chat.isEnabled { d.chat = ChatAdapter(client: chat) }

        var policy = FetchPolicy()
        policy.allowPrivate = try Setting.bool(options.allowPrivateFetch, env: "LENS_GPT_ALLOW_PRIVATE_FETCH")
        policy.timeoutMillis = try Setting.int(options.fetchTimeoutMs, env: "LENS_GPT_FETCH_TIMEOUT_MS", default: policy.timeoutMillis, min: 1)
        policy.maxBytes = try Setting.bytes(options.maxPage, env: "LENS_GPT_MAX_PAGE", default: policy.maxBytes)
        policy.proxy = demo?.proxyURL
        d.pages = FetcherPages(policy: policy, http: HTTPClient())
        var exchange = try rates(Setting.string(options.currencyRates, env: "LENS_GPT_CURRENCY_RATES"))
        if exchange.isEmpty, let demo { exchange = demo.exchangeRates }
        d.estimator = PriceEstimator(rates: exchange)

        if let pool = lens?.pool {
            d.renderer = BrowserPageRenderer(pool: pool)
            var web = try profile(Setting.string(options.webSearchProfile, env: "LENS_GPT_WEB_SEARCH_PROFILE"), SearchProfile.webSearch)
            var market = try profile(Setting.string(options.marketplaceProfile, env: "LENS_GPT_MARKETPLACE_PROFILE"), SearchProfile.ebaySearch)
            if let demo { (web, market) = demo.searching(web: web, market: market) }
            d.webSearch = BrowserSearch(pool: pool, profile: web)
            d.marketplaceSearches = [BrowserSearch(pool: pool, profile: market)]
        }
        let description = chat.isEnabled ? "LLM \(chat.configuration.model) at \(chat.configuration.baseURL)" : "no LLM (heuristic methods)"
        return PipelineSetup(lens: lens, browserDisabled: browserDisabled, thumbnails: d.thumbnails, graph: try StageTree.graph(d), llmDescription: description)
    }

    static func profile(_ path: String?, _ builtIn: () throws(SearchProfile.Invalid) -> SearchProfile) throws -> SearchProfile {
        do {
            return try path.map { try SearchProfile.load(path: $0) } ?? builtIn()
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
