import Pipeline

/// Google Lens in a real browser (the Lens profile, driven by `LensRunner`) as a visual-search
/// provider: the locale goes into the start URL (`hl`, `gl`), consent cookies into the browser.
public struct BrowserLensSearch: VisualSearch {
    public let runner: LensRunner
    public let name: String
    public let timeoutMillis: Int
    public let cookies: [BrowserCookie]
    /// The Lens page has no text box next to the photo: no refined second search.
    public var refinesWithText: Bool { false }

    public init(runner: LensRunner, name: String = "google-lens", timeoutMillis: Int = 30_000, cookies: [BrowserCookie] = []) {
        self.runner = runner
        self.name = name
        self.timeoutMillis = timeoutMillis
        self.cookies = cookies
    }

    public func search(_ query: VisualQuery, timeoutMillis: Int) throws(VisualSearchFailure) -> VisualSearchResult {
        do {
            var matches = try runner.search(bytes: query.bytes, format: query.format, path: query.image.path, name: query.image.id,
                                            timeoutMillis: timeoutMillis, locale: query.locale, cookies: cookies)
            for i in matches.indices { matches[i].provider = name }
            return VisualSearchResult(matches: matches)
        } catch {
            throw VisualSearchFailure(provider: name, error)
        }
    }
}
