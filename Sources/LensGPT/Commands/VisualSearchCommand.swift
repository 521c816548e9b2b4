import ArgumentParser
import Glibc
import Imaging
import JSON
import Pipeline
import Producers

/// `lens-gpt visual-search PHOTO --provider NAME`: one search by one visual-search provider,
/// its matches as JSON on stdout.
struct VisualSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visual-search",
        abstract: "Search one photo with one visual-search provider and print its matches as JSON.",
        discussion: """
            Providers: google-lens (in the browser), serpapi (SERPAPI_API_KEY; the API fetches the photo, so \
            --photo-url must name where it can), \(api.imageProvider) (\(api.owner)'s search by image; \
            \(api.credentials)). Prints {"provider", "matches": [...], "exact_matches": [...], "knowledge": [...]} \
            and exits 0, or a JSON error naming its code on stderr and exits 1.
            """
    )

    /// The marketplace API whose search by image is a provider.
    static let api = MarketplaceAPIs.browse

    @Argument(help: "A PNG, JPEG or WebP photo.") var photo: String?
    @Option(help: ArgumentHelp("google-lens, serpapi or \(VisualSearchCommand.api.imageProvider).")) var provider: String = "google-lens"
    @Option(help: "Country of the search, ISO 3166 two letters (LENS_GPT_DEFAULT_COUNTRY, default US).") var country: String?
    @Option(help: "serpapi only: a URL where the hosted API can fetch this same photo.") var photoUrl: String?
    @OptionGroup var lens: LensOptions
    @OptionGroup var visual: VisualSearchOptions
    @OptionGroup var marketAPI: MarketplaceAPIOptions
    @OptionGroup var browsing: BrowserRunOptions

    func run() throws {
        guard let photo else { throw ValidationError("PHOTO is required") }
        signal(SIGPIPE, SIG_IGN)
        guard let bytes = LensCommand.readFile(photo) else { CommandOutput.fail("image_missing", "cannot read \(photo)") }
        guard let header = ImageHeader.parse(Array(bytes.prefix(ImageHeader.sniffLength))) else {
            CommandOutput.fail("unsupported_media_type", "\(photo) is not a PNG, JPEG or WebP image")
        }
        guard let place = RunLocale.country(Setting.string(country, env: "LENS_GPT_DEFAULT_COUNTRY", default: "US")),
              let tongue = RunLocale.language(Setting.string(lens.language, env: "LENS_GPT_LANGUAGE", default: "en-US")) else {
            CommandOutput.fail("invalid_settings", "--country must be two letters and --language a language tag")
        }
        let image = UploadedImage(id: "cli", path: photo, bytes: bytes.count, locale: RunLocale(country: place, language: tongue))
        let query = VisualQuery(image: image, bytes: bytes, format: header.format.rawValue)
        var shutdown: () -> Void = {}
        let search: any VisualSearch
        do {
            search = try provider(shutdown: &shutdown)
        } catch {
            CommandOutput.fail("invalid_settings", "\(error)")
        }
        let result: VisualSearchResult
        do {
            result = try search.search(query, timeoutMillis: min(browsing.timeoutMs, search.timeoutMillis))
        } catch {
            shutdown()
            var failure: JSONObject = ["code": .string(error.code), "message": .string(error.message), "retryable": .bool(error.retryable),
                                       "provider": .string(error.provider)]
            if let wait = error.retryAfterSeconds { failure["retry_after_seconds"] = .int(wait) }
            if !error.artifacts.isEmpty { failure["artifacts"] = .array(error.artifacts.map(JSONValue.string)) }
            CommandOutput.fail(.object(failure))
        }
        shutdown()
        let object: JSONValue = [
            "provider": .string(search.name), "matches": .array(result.matches.map(\.json)),
            "exact_matches": .array(result.exactMatches.map(\.json)), "knowledge": .array(result.knowledge.map(\.json)),
        ]
        print(object.serialized())
    }

    /// The provider `--provider` names, set up as `serve` sets it up.
    private func provider(shutdown: inout () -> Void) throws -> any VisualSearch {
        switch provider {
        case MarketplaceImageSearch.providerName:
            guard let api = try marketAPI.client() else {
                throw SettingError(description: "\(marketAPI.api.imageProvider) \(marketAPI.api.keysetWanted)")
            }
            return MarketplaceImageSearch(api: api)
        case "serpapi":
            guard let key = Setting.environment("SERPAPI_API_KEY") else { throw SettingError(description: "serpapi needs SERPAPI_API_KEY") }
            guard let photoUrl, photoUrl.hasPrefix("http://") || photoUrl.hasPrefix("https://") else {
                throw SettingError(description: "serpapi fetches the photo itself: --photo-url must name an http(s) URL where it can")
            }
            var configuration = HostedLensConfiguration(apiKey: key)
            configuration.endpoint = Setting.string(visual.hostedLensUrl, env: "LENS_GPT_HOSTED_LENS_URL", default: configuration.endpoint)
            configuration.type = Setting.string(visual.hostedLensType, env: "LENS_GPT_HOSTED_LENS_TYPE", default: "all")
            configuration.proxy = Setting.string(visual.hostedLensProxy, env: "LENS_GPT_HOSTED_LENS_PROXY")
            return HostedLensSearch(configuration: configuration, links: FixedPhotoLink(url: photoUrl))
        case "google-lens":
            let dataDirectory = browsing.dataDirectory()
            guard let setup = try LensSetup.make(lens, dataDirectory: dataDirectory, defaultPoolSize: 1) else {
                CommandOutput.fail("browser_unavailable", "no WebDriver URL is set and chromedriver is not on PATH")
            }
            shutdown = { setup.pool.shutdown() }
            return BrowserLensSearch(runner: setup.runner)
        default:
            throw SettingError(description: "unknown provider \"\(provider)\"; known: \(VisualSearchSetup.knownProviders.joined(separator: ", "))")
        }
    }
}

/// A photo the operator already put where the hosted API can fetch it.
struct FixedPhotoLink: PhotoLinks {
    let url: String
    func publish(_ image: UploadedImage, format: String) -> String { url }
    func withdraw(_ image: UploadedImage) {}
}
