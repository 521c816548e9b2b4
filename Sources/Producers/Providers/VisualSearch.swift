import JSON
import Pipeline

/// One seam for visual search: a photo in, ranked matches out, typed failures. Providers are
/// tried in the configured order by `lens-matches` (and by the canary), each within its own
/// time limit: Google Lens in a browser (`BrowserLensSearch`), hosted Lens APIs in SerpApi's
/// shape (`HostedLensSearch`), a marketplace API's search by image (`MarketplaceImageSearch`).
public protocol VisualSearch: Sendable {
    /// Named on every match it returns and in `/readyz` (`google-lens`, `serpapi`).
    var name: String { get }
    /// The provider's own time limit for one search.
    var timeoutMillis: Int { get }
    /// Whether a second search refined by a text query (`VisualQuery.text`) is possible.
    var refinesWithText: Bool { get }
    func search(_ query: VisualQuery, timeoutMillis: Int) throws(VisualSearchFailure) -> VisualSearchResult
}

/// What a provider is asked: the photo (bytes and the file they came from), its locale, and
/// optionally a text that narrows the search.
public struct VisualQuery: Sendable {
    public var image: UploadedImage
    public var bytes: [UInt8]
    /// `png`, `jpeg` or `webp`.
    public var format: String
    public var text: String?

    public init(image: UploadedImage, bytes: [UInt8], format: String, text: String? = nil) {
        self.image = image
        self.bytes = bytes
        self.format = format
        self.text = text
    }

    public var locale: RunLocale { image.locale }
}

/// What a provider found: visual matches, and where it gives them, exact matches (pages
/// showing the very same image) and knowledge-graph entries (what the image is).
public struct VisualSearchResult: Sendable {
    public var matches: [LensMatch]
    public var exactMatches: [LensMatch]
    public var knowledge: [KnowledgeEntry]

    public init(matches: [LensMatch], exactMatches: [LensMatch] = [], knowledge: [KnowledgeEntry] = []) {
        self.matches = matches
        self.exactMatches = exactMatches
        self.knowledge = knowledge
    }

    public var isEmpty: Bool { matches.isEmpty && exactMatches.isEmpty }
}

/// A knowledge-graph entry: what the provider thinks the pictured thing is.
public struct KnowledgeEntry: Sendable, Equatable {
    public var title: String
    public var subtitle: String?
    public var link: String?
    public var provider: String

    public init(title: String, subtitle: String? = nil, link: String? = nil, provider: String) {
        self.title = title
        self.subtitle = subtitle
        self.link = link
        self.provider = provider
    }

    public var json: JSONValue {
        var object: JSONObject = ["title": .string(title)]
        if let subtitle { object["subtitle"] = .string(subtitle) }
        if let link { object["link"] = .string(link) }
        object["provider"] = .string(provider)
        return .object(object)
    }
}

/// Why a provider gave no matches: a code a client can act on (`lens_blocked`,
/// `lens_api_unauthorized`, `network_unavailable`, ...), the provider's name, and whether
/// trying again later may help.
public struct VisualSearchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var provider: String
    public var code: String
    public var message: String
    public var retryable: Bool
    /// Diagnostics saved by the provider (screenshots, page sources).
    public var artifacts: [String]
    /// How long the provider asked to be left alone (an API's `Retry-After`), in seconds.
    public var retryAfterSeconds: Int? = nil

    public init(provider: String, code: String, message: String, retryable: Bool, artifacts: [String] = []) {
        self.provider = provider
        self.code = code
        self.message = message
        self.retryable = retryable
        self.artifacts = artifacts
    }

    public init(provider: String, _ error: StageError) {
        self.init(provider: provider, code: error.code, message: error.message, retryable: error.retryable, artifacts: error.artifacts)
    }

    public var description: String { "\(provider): \(code): \(message)" }
}
