import ArgumentParser
import Outbound
import Producers

/// The official APIs beside the page readers: barcode databases asked for the photo's GTIN, and
/// web-search APIs tried before the result-page profiles. Each base URL defaults to the real
/// service and may be pointed at a proxy or a compatible service (an operator's URL is trusted,
/// loopback included). Keys come from the environment only.
struct WebAPIOptions: ParsableArguments {
    @Option(help: "Open Food Facts base URL, or off (LENS_GPT_OPENFOODFACTS_URL, default https://world.openfoodfacts.org).")
    var openfoodfactsUrl: String?
    @Option(help: "UPCitemdb base URL, or off (LENS_GPT_UPCITEMDB_URL, default https://api.upcitemdb.com). UPCITEMDB_USER_KEY: a paid plan's key (unset: the free trial).")
    var upcitemdbUrl: String?
    @Option(help: "Open Library base URL for ISBNs, or off (LENS_GPT_OPENLIBRARY_URL, default https://openlibrary.org).")
    var openlibraryUrl: String?
    @Option(help: "Brave Search API base URL (LENS_GPT_BRAVE_API_URL, default https://api.search.brave.com); on with BRAVE_SEARCH_API_KEY.")
    var braveApiUrl: String?
    @Option(help: "Google Programmable Search base URL (LENS_GPT_GOOGLE_CSE_URL, default https://www.googleapis.com); on with GOOGLE_CSE_API_KEY and GOOGLE_CSE_ID.")
    var googleCseUrl: String?
    @Option(help: "A contact (e-mail or URL) sent in the User-Agent to the barcode databases, as Open Food Facts asks (LENS_GPT_API_CONTACT).")
    var apiContact: String?
    @Option(help: "GTINs whose barcode-database answers are kept in memory, 0: none (LENS_GPT_BARCODE_CACHE_ENTRIES, default 1000).")
    var barcodeCacheEntries: String?
    @Option(help: "Seconds a barcode-database answer is kept (LENS_GPT_BARCODE_CACHE_SECONDS, default 86400).")
    var barcodeCacheSeconds: String?
    @Option(help: "Milliseconds the barcode databases may take together for one GTIN (LENS_GPT_BARCODE_LOOKUP_TIMEOUT_MS, default 10000).")
    var barcodeLookupTimeoutMs: String?

    func cacheEntries(default value: Int) throws -> Int { try Setting.int(barcodeCacheEntries, env: "LENS_GPT_BARCODE_CACHE_ENTRIES", default: value, in: 0...1_000_000) }
    func cacheSeconds(default value: Int) throws -> Int { try Setting.int(barcodeCacheSeconds, env: "LENS_GPT_BARCODE_CACHE_SECONDS", default: value, in: 1...2_592_000) }
    func lookupTimeoutMillis(default value: Int) throws -> Int { try Setting.int(barcodeLookupTimeoutMs, env: "LENS_GPT_BARCODE_LOOKUP_TIMEOUT_MS", default: value, in: 1...120_000) }

    func validate() throws {
        try Setting.validating {
            _ = try (cacheEntries(default: 0), cacheSeconds(default: 1), lookupTimeoutMillis(default: 1))
        }
    }
}

/// The demo replicas of these APIs, for `serve --demo --demo-apis` and the tests.
struct DemoAPIEndpoints: Sendable {
    var barcodeDatabasesURL: String
    var webSearchAPIsURL: String
    var upcitemdbUserKey: String?
    var braveKey: String
    var googleKey: String
    var googleEngineID: String
}

/// The APIs the options and keys turn on.
struct WebAPISetup {
    /// nil when every database is off.
    var barcodeLookup: BarcodeLookup?
    /// Configured web-search APIs by profile name (`brave-api`, `google-cse`), in the default order.
    var webSearches: [(name: String, search: any WebSearchAPI)] = []

    /// The web-search profiles that are APIs rather than result pages.
    static let webSearchNames = ["brave-api", "google-cse"]

    /// `offline`: the demo world without its API replicas (no database is reachable then).
    /// `resultCount`: results a web-search API is asked for (nil: 10; each API's own maximum applies).
    static func make(_ options: WebAPIOptions, demo: DemoAPIEndpoints? = nil, offline: Bool = false, resultCount: Int? = nil,
                     http: HTTPClient = HTTPClient()) throws -> WebAPISetup
    {
        var setup = WebAPISetup()
        let contact = Setting.string(options.apiContact, env: "LENS_GPT_API_CONTACT")
        let userAgent = "lens-gpt/\(LensGPTCommand.version.split(separator: " ").last ?? "")" + (contact.map { " (\($0))" } ?? "")
        func url(_ flag: String?, env: String, real: String, demo: String?) throws -> String? {
            let explicit = Setting.string(flag, env: env)
            // Offline (the demo world without its API replicas) the real services are not reached.
            if explicit == nil && offline && demo == nil { return nil }
            let value = explicit ?? demo ?? real
            if value == "off" { return nil }
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw SettingError(description: "\(env) (or its flag) must be an http(s) URL or off, not \"\(value)\"")
            }
            return value
        }
        var databases: [any BarcodeDatabase] = []
        if let base = try url(options.openfoodfactsUrl, env: "LENS_GPT_OPENFOODFACTS_URL", real: OpenFoodFacts.defaultURL,
                              demo: demo?.barcodeDatabasesURL) {
            databases.append(OpenFoodFacts(base: base, userAgent: userAgent, http: http))
        }
        if let base = try url(options.upcitemdbUrl, env: "LENS_GPT_UPCITEMDB_URL", real: UPCitemdb.defaultURL, demo: demo?.barcodeDatabasesURL) {
            databases.append(UPCitemdb(base: base, userKey: Setting.environment("UPCITEMDB_USER_KEY") ?? demo?.upcitemdbUserKey, http: http))
        }
        if let base = try url(options.openlibraryUrl, env: "LENS_GPT_OPENLIBRARY_URL", real: OpenLibrary.defaultURL, demo: demo?.barcodeDatabasesURL) {
            databases.append(OpenLibrary(base: base, userAgent: userAgent, http: http))
        }
        var limits = BarcodeLookup.Limits()
        limits.cacheEntries = try options.cacheEntries(default: limits.cacheEntries)
        limits.cacheSeconds = try options.cacheSeconds(default: limits.cacheSeconds)
        limits.timeoutMillis = try options.lookupTimeoutMillis(default: limits.timeoutMillis)
        if !databases.isEmpty { setup.barcodeLookup = BarcodeLookup(databases: databases, limits: limits) }

        // Keys are secrets: from the environment only (the demo replicas have their own).
        if let key = Setting.environment("BRAVE_SEARCH_API_KEY") ?? demo?.braveKey,
           let base = try url(options.braveApiUrl, env: "LENS_GPT_BRAVE_API_URL", real: BraveSearchAPI.defaultURL, demo: demo?.webSearchAPIsURL) {
            setup.webSearches.append(("brave-api", BraveSearchAPI(base: base, key: key, count: resultCount ?? 10, http: http)))
        }
        if let key = Setting.environment("GOOGLE_CSE_API_KEY") ?? demo?.googleKey,
           let engine = Setting.environment("GOOGLE_CSE_ID") ?? demo?.googleEngineID,
           let base = try url(options.googleCseUrl, env: "LENS_GPT_GOOGLE_CSE_URL", real: GoogleCSESearch.defaultURL, demo: demo?.webSearchAPIsURL) {
            setup.webSearches.append(("google-cse", GoogleCSESearch(base: base, key: key, engineID: engine, count: resultCount ?? 10, http: http)))
        }
        return setup
    }

    /// The API searches `names` asks for (all configured ones when `names` is empty), or an error
    /// naming what a chosen one lacks.
    func chosenSearches(_ names: [String]) throws -> [any SearchService] {
        if names.isEmpty { return webSearches.map(\.search) }
        return try names.filter(WebAPISetup.webSearchNames.contains).map { try search(named: $0) }
    }

    /// A configured web-search API, or an error naming the key it lacks.
    func search(named name: String) throws -> any WebSearchAPI {
        guard let found = webSearches.first(where: { $0.name == name }) else {
            let needs = name == "brave-api" ? "BRAVE_SEARCH_API_KEY" : "GOOGLE_CSE_API_KEY and GOOGLE_CSE_ID"
            throw SettingError(description: "the web search profile \(name) needs \(needs) in the environment")
        }
        return found.search
    }
}
