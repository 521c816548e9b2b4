import ArgumentParser
import Gateway
import Outbound
import Pipeline
import JSON
import Producers
import Secrets

/// Which visual-search providers `lens-matches` asks, in which order, and how each is reached.
struct VisualSearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Visual-search providers in the order they are tried, comma-separated: google-lens, serpapi, \(VisualSearchSetup.image) (LENS_GPT_VISUAL_PROVIDERS, default google-lens,serpapi, and \(VisualSearchSetup.image) last when \(MarketplaceAPIs.browse.credentials) are set). A provider that is not configured is left out."))
    var visualProviders: String?
    @Option(help: "Time limit of one Google Lens search in the browser, ms (LENS_GPT_LENS_TIMEOUT_MS, default: the stage's time limit).")
    var lensTimeoutMs: String?
    @Option(help: "Cookies set in the browser on the Lens site before each search, e.g. Google's consent cookies \"SOCS=…; NID=…\" (LENS_GPT_LENS_COOKIES). A flag is visible to every user of the machine (ps): prefer --lens-cookies-file or the variable.")
    var lensCookies: String?
    @Option(help: "A file holding the --lens-cookies line, readable by lens-gpt alone (LENS_GPT_LENS_COOKIES_FILE).")
    var lensCookiesFile: String?
    @Option(help: "HTTP proxy for the browser, e.g. http://proxy:3128 (LENS_GPT_LENS_PROXY).")
    var lensProxy: String?
    @Option(help: "Hosted Lens API endpoint in SerpApi's shape (LENS_GPT_HOSTED_LENS_URL, default https://serpapi.com/search.json). Turned on by SERPAPI_API_KEY; needs --public-base-url.")
    var hostedLensUrl: String?
    @Option(help: "The hosted API's search type: all, products, visual_matches, exact_matches (LENS_GPT_HOSTED_LENS_TYPE, default all).")
    var hostedLensType: String?
    @Option(help: "Time limit of one hosted Lens API search, ms (LENS_GPT_HOSTED_LENS_TIMEOUT_MS, default 20000).")
    var hostedLensTimeoutMs: String?
    @Option(help: "HTTP proxy for the hosted Lens API (LENS_GPT_HOSTED_LENS_PROXY).")
    var hostedLensProxy: String?
    @Option(help: "This server's address as the internet reaches it, e.g. https://lens.example.com; hosted Lens APIs fetch photos from signed URLs under it (LENS_GPT_PUBLIC_BASE_URL).")
    var publicBaseUrl: String?
    @Option(help: "Lifetime of a signed photo URL in seconds (LENS_GPT_PHOTO_URL_SECONDS, default 300).")
    var photoUrlSeconds: String?
    @Option(help: "A file holding the key photo URLs are signed with, at least 16 characters; or the key itself in LENS_GPT_PHOTO_URL_SECRET (never on the command line, where `ps` shows it) (LENS_GPT_PHOTO_URL_SECRET_FILE). Default: with a Redis store, a key the first gateway stores there for all; else one random per process.")
    var photoUrlSecretFile: String?
    @Option(help: "Title consensus below which a provider that takes text is asked again with the best candidate, 0..1 (LENS_GPT_REFINE_BELOW, default 0.6).")
    var refineBelow: String?
    @Option(help: "A product photo every provider should recognise; with it, each provider is checked on a schedule (LENS_GPT_CANARY_IMAGE).")
    var canaryImage: String?
    @Option(help: "Milliseconds between canary rounds (LENS_GPT_CANARY_INTERVAL, default 300000); given, it also turns on the search canaries: one known query through every marketplace and web-search profile each round.")
    var canaryInterval: String?

    // Each number once; `validate` checks them all when the command line is parsed.
    func lensTimeoutMillis() throws -> Int { try Setting.int(lensTimeoutMs, env: "LENS_GPT_LENS_TIMEOUT_MS", default: .max, in: 1...3_600_000) }
    func photoURLLifetime() throws -> Int { try Setting.int(photoUrlSeconds, env: "LENS_GPT_PHOTO_URL_SECONDS", default: 300, in: 1...86_400) }
    func hostedLensTimeoutMillis(default value: Int) throws -> Int { try Setting.int(hostedLensTimeoutMs, env: "LENS_GPT_HOSTED_LENS_TIMEOUT_MS", default: value, in: 1...600_000) }
    func canaryIntervalMillis() throws -> Int { try Setting.int(canaryInterval, env: "LENS_GPT_CANARY_INTERVAL", default: 300_000, in: 100...86_400_000) }
    func refineThreshold() throws -> Double { try Setting.fraction(refineBelow, env: "LENS_GPT_REFINE_BELOW", default: 0.6) }

    func validate() throws {
        try Setting.validating {
            _ = try (lensTimeoutMillis(), photoURLLifetime(), hostedLensTimeoutMillis(default: 1), canaryIntervalMillis(), refineThreshold())
        }
    }
}

/// The providers the options describe, and what serves them.
struct VisualSearchSetup {
    var providers: [any VisualSearch] = []
    var photos: PhotoShelf?
    var canary: VisualSearchCanary?
    var refineBelow = 0.6
    /// For the startup log.
    var notes: [String] = []

    /// The marketplace API's search by image (`image_provider` of its description).
    static let image = MarketplaceImageSearch.providerName
    static let knownProviders = ["google-lens", "serpapi", image]

    /// `servesPhotos`: whether a gateway will answer the signed photo URLs (`serve`, not `classify`).
    /// `marketAPI`: the marketplace API's client when its keys are set (its search by image then joins the default order, last).
    static func make(_ options: VisualSearchOptions, lens: LensRunner?, demoWorld: DemoWiring?, servesPhotos: Bool,
                     maxUploadBytes: Int = 20 << 20, marketAPI: BrowseAPIClient? = nil) throws -> VisualSearchSetup
    {
        var setup = VisualSearchSetup()
        let order = Setting.string(options.visualProviders, env: "LENS_GPT_VISUAL_PROVIDERS",
                                   default: marketAPI == nil ? "google-lens,serpapi" : "google-lens,serpapi," + image)
            .split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        for name in order where !knownProviders.contains(name) {
            throw SettingError(description: "LENS_GPT_VISUAL_PROVIDERS (or --visual-providers): unknown provider \"\(name)\"; known: "
                + knownProviders.joined(separator: ", "))
        }
        setup.refineBelow = try options.refineThreshold()
        let cookies: [BrowserCookie]
        do {
            let line = try Setting.secret(options.lensCookies, flagName: "--lens-cookies", file: options.lensCookiesFile,
                                          fileFlagName: "--lens-cookies-file", fileEnv: "LENS_GPT_LENS_COOKIES_FILE",
                                          env: "LENS_GPT_LENS_COOKIES", as: SecretSettings.lensCookies)
            cookies = try BrowserCookie.parseList(line ?? "")
        } catch let error as BrowserCookie.Invalid {
            throw SettingError(description: "LENS_GPT_LENS_COOKIES (or --lens-cookies, --lens-cookies-file): \(error.description)")
        }

        // Checked whether or not a hosted provider will use it: a bad key is said at startup.
        let photoSecret = try photoURLSecret(options)
        for name in order {
            switch name {
            case "google-lens":
                guard let lens else {
                    setup.notes.append("google-lens: no browser")
                    continue
                }
                let timeout = try options.lensTimeoutMillis()
                setup.providers.append(BrowserLensSearch(runner: lens, timeoutMillis: timeout, cookies: cookies,
                                                         proxy: demoWorld == nil ? Setting.string(options.lensProxy, env: "LENS_GPT_LENS_PROXY") : nil))
            case "serpapi":
                // A secret: from the environment only. The demo world's replica has its own key.
                guard let key = Setting.environment("SERPAPI_API_KEY") ?? demoWorld?.hostedLensAPIKey else {
                    setup.notes.append("serpapi: SERPAPI_API_KEY not set")
                    continue
                }
                let base = Setting.string(options.publicBaseUrl, env: "LENS_GPT_PUBLIC_BASE_URL")
                guard servesPhotos else {
                    setup.notes.append("serpapi: only `serve` can hand the API a photo URL")
                    continue
                }
                // Without a public address the API could not fetch the photo: never guess one
                // (the demo's gateway is on loopback and tells the shelf its address once it listens).
                guard base != nil || demoWorld != nil else {
                    throw SettingError(description: "SERPAPI_API_KEY is set but --public-base-url (LENS_GPT_PUBLIC_BASE_URL) is not: "
                        + "the hosted Lens API fetches the photo from a URL under this server's public address")
                }
                let shelf = PhotoShelf(publicBaseURL: base ?? "http://127.0.0.1",
                                       lifetimeSeconds: try options.photoURLLifetime(),
                                       maxBytes: maxUploadBytes, secret: photoSecret)
                setup.photos = shelf
                SecretScrubber.shared.register(key, as: SecretSettings.hostedLensKey)  // the demo's key too
                var configuration = HostedLensConfiguration(apiKey: key)
                configuration.endpoint = Setting.string(options.hostedLensUrl, env: "LENS_GPT_HOSTED_LENS_URL",
                                                        default: demoWorld?.hostedLensURL ?? configuration.endpoint)
                configuration.type = Setting.string(options.hostedLensType, env: "LENS_GPT_HOSTED_LENS_TYPE", default: "all")
                guard ["all", "products", "visual_matches", "exact_matches"].contains(configuration.type) else {
                    throw SettingError(description: "LENS_GPT_HOSTED_LENS_TYPE must be all, products, visual_matches or exact_matches")
                }
                configuration.timeoutMillis = try options.hostedLensTimeoutMillis(default: configuration.timeoutMillis)
                configuration.proxy = Setting.string(options.hostedLensProxy, env: "LENS_GPT_HOSTED_LENS_PROXY")
                if let proxy = configuration.proxy { SecretScrubber.shared.register(proxy, as: SecretSettings.hostedLensProxy) }
                setup.providers.append(HostedLensSearch(configuration: configuration, links: ShelfPhotoLinks(shelf: shelf)))
            case MarketplaceImageSearch.providerName:
                guard let marketAPI else {
                    setup.notes.append("\(image): \(MarketplaceAPIs.browse.credentials) not set")
                    continue
                }
                setup.providers.append(MarketplaceImageSearch(api: marketAPI))
            default:
                break
            }
        }
        if let path = Setting.string(options.canaryImage, env: "LENS_GPT_CANARY_IMAGE"), !setup.providers.isEmpty {
            let interval = try options.canaryIntervalMillis()
            do {
                setup.canary = try VisualSearchCanary(providers: setup.providers, imagePath: path, intervalMillis: interval)
            } catch {
                throw SettingError(description: "LENS_GPT_CANARY_IMAGE (or --canary-image): \(error.description)")
            }
        }
        return setup
    }

    /// The operator's photo-URL key: from a file or the environment only (a secret), long
    /// enough not to be guessed; nil when none is set.
    static func photoURLSecret(_ options: VisualSearchOptions) throws -> String? {
        let secret: String
        if let path = Setting.string(options.photoUrlSecretFile, env: "LENS_GPT_PHOTO_URL_SECRET_FILE") {
            guard let bytes = LensCommand.readFile(path) else {
                throw SettingError(description: "LENS_GPT_PHOTO_URL_SECRET_FILE (or --photo-url-secret-file): cannot read \(path)")
            }
            // The file's last line break is not part of the key.
            secret = String(String(decoding: bytes, as: UTF8.self).reversed().drop { $0 == "\n" || $0 == "\r\n" }.reversed())
        } else if let text = Setting.environment("LENS_GPT_PHOTO_URL_SECRET") {
            secret = text
        } else {
            return nil
        }
        guard secret.utf8.count >= 16 else {
            throw SettingError(description: "the photo URL secret (LENS_GPT_PHOTO_URL_SECRET or its file) must be at least 16 characters")
        }
        return secret
    }

    /// `/readyz` and `/metrics` entries of the canary.
    var monitors: [any ServiceMonitor] { canary.map { [CanaryMonitor(canary: $0)] } ?? [] }
}

/// The gateway's photo shelf as the hosted provider sees it.
struct ShelfPhotoLinks: PhotoLinks {
    let shelf: PhotoShelf

    func publish(_ image: UploadedImage, format: String) -> String { shelf.publish(id: image.id, path: image.path, format: format) }
    func withdraw(_ image: UploadedImage) { shelf.withdraw(id: image.id) }
}

/// The canary under `checks.visual-search` in `/readyz`. A degraded provider does not make
/// the gateway unready: the next provider answers in its place; the entry is for alerts.
struct CanaryMonitor: ServiceMonitor {
    let canary: VisualSearchCanary
    var name: String { "visual-search" }
    func readiness() -> (detail: JSONValue, ok: Bool) { (canary.readinessJSON, true) }
    func metricsText() -> String { canary.metricsText }
}

/// The search canaries under `checks.search-profiles` in `/readyz`. A degraded profile does not
/// make the gateway unready (the others still answer); the entry is for alerts.
struct SearchCanaryMonitor: ServiceMonitor {
    let canary: SearchCanary
    var name: String { "search-profiles" }
    func readiness() -> (detail: JSONValue, ok: Bool) { (canary.readinessJSON, true) }
    func metricsText() -> String { canary.metricsText }
}
