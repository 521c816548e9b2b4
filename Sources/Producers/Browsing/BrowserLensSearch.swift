import Outbound
import Pipeline

/// Google Lens in a real browser (the Lens profile, driven by `LensRunner`) as a visual-search
/// provider: the locale goes into the start URL (`hl`, `gl`), consent cookies into the browser.
public struct BrowserLensSearch: VisualSearch {
    public let runner: LensRunner
    public let name: String
    public let timeoutMillis: Int
    public let cookies: [BrowserCookie]
    /// The browser's proxy, so the reachability check after a failure goes the same way.
    public let proxy: String?
    /// The Lens page has no text box next to the photo: no refined second search.
    public var refinesWithText: Bool { false }

    /// `timeoutMillis`: `Int.max` leaves the stage's own time limit as the only one.
    public init(runner: LensRunner, name: String = "google-lens", timeoutMillis: Int = .max, cookies: [BrowserCookie] = [],
                proxy: String? = nil)
    {
        self.runner = runner
        self.proxy = proxy
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
            var failure = VisualSearchFailure(provider: name, error)
            // A page that never loaded looks like a slow page or a dead browser to WebDriver;
            // one direct request tells whether the site can be reached at all.
            if failure.code == "lens_timeout" || failure.code == "browser_unavailable",
               error.message.hasPrefix("opening "), let reason = unreachable(runner.profile.startURL)
            {
                failure.code = "network_unavailable"
                failure.message = NetworkErrorText.advice(step: "opening \(runner.profile.startURL)", reason: reason)
                failure.retryable = true
            }
            throw failure
        }
    }

    /// Why the start URL's site cannot be reached, or nil when it answers (whatever its status).
    func unreachable(_ url: String) -> String? {
        var request = HTTPClientRequest(method: "HEAD", url: url, timeoutMillis: 3_000, followRedirects: false)
        request.proxy = proxy
        do {
            _ = try HTTPClient().send(request)
            return nil
        } catch {
            return error.kind == .connect ? error.message : nil
        }
    }
}
