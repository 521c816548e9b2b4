import Glibc
import JSON
import Outbound
import Pipeline

/// Runs visual searches: takes a browser session from the pool, searches, gives the session
/// back (recycled after any failure), and on failure keeps a screenshot and the page source
/// (`LensDiagnostics`), named in the error by id.
public final class LensRunner: Sendable {
    public let pool: BrowserPool
    public let profile: LensProfile
    /// Where failure screenshots and page sources are kept (nil: not kept).
    public let diagnostics: LensDiagnostics?
    public var diagnosticsDirectory: String? { diagnostics?.directory }

    public init(pool: BrowserPool, profile: LensProfile, diagnostics: LensDiagnostics?) {
        self.pool = pool
        self.profile = profile
        self.diagnostics = diagnostics
    }

    /// Diagnostics in `diagnosticsDirectory` with the default bounds.
    public convenience init(pool: BrowserPool, profile: LensProfile, diagnosticsDirectory: String?) {
        self.init(pool: pool, profile: profile, diagnostics: diagnosticsDirectory.map { LensDiagnostics(directory: $0) })
    }

    /// The matches for a photo, or a `StageError` with a `lens_*` / `browser_unavailable` /
    /// `network_unavailable` code. `name` names the diagnostics files (the result id).
    /// `locale` adds `hl`/`gl` to the start URL; `cookies` are set on the start URL's site
    /// first (consent cookies).
    public func search(bytes: [UInt8], format: String, path: String?, name: String,
                       timeoutMillis: Int, locale: RunLocale? = nil, cookies: [BrowserCookie] = []) throws(StageError) -> [LensMatch]
    {
        let deadline = Clock.millis() + timeoutMillis
        let profile = locale.map { self.profile.startingAt(LensLocaleURL.apply(self.profile.startURL, $0)) } ?? self.profile
        let lease: BrowserLease
        do {
            lease = try pool.acquire(waitMillis: min(pool.configuration.waitMillis, timeoutMillis))
        } catch {
            throw LensFailure.browserUnavailable(error.message).stageError()
        }
        let search = LensSearch(profile: profile, session: lease.session,
                                image: LensImage(bytes: bytes, format: format, path: path), deadline: deadline)
        do {
            try setCookies(cookies, on: lease.session, startURL: profile.startURL)
            let matches = try search.run()
            pool.release(lease, healthy: true)
            return matches
        } catch {
            var error = error
            // A page that could not load shows Chromium's own error page, not a WebDriver error.
            if error.code == "lens_timeout", let url = try? lease.session.currentURL(), url.hasPrefix("chrome-error:") {
                error = .networkUnavailable(NetworkErrorText.advice(step: "opening \(profile.startURL)", reason: "Chromium's error page"))
            }
            let artifacts = error.code == "browser_unavailable" ? [] : saveDiagnostics(lease.session, name: name)
            pool.release(lease, healthy: false)
            throw error.stageError(artifacts: artifacts)
        }
    }

    /// Consent cookies on the start URL's site. WebDriver sets cookies only for the page the
    /// browser is on, so a session without them first opens a small page of that site.
    private func setCookies(_ cookies: [BrowserCookie], on session: WebDriverSession, startURL: String) throws(LensFailure) {
        guard !cookies.isEmpty, let origin = LensRunner.origin(startURL) else { return }
        do {
            let current = (try? session.currentURL()).flatMap(LensRunner.origin)
            if current == origin {
                let present = Set(try session.cookies().compactMap { c -> String? in
                    guard let name = c["name"]?.stringValue, let value = c["value"]?.stringValue else { return nil }
                    return name + "=" + value
                })
                if cookies.allSatisfy({ present.contains($0.name + "=" + $0.value) }) { return }
            } else {
                try session.navigate(to: origin + "/robots.txt")
            }
            for cookie in cookies {
                try session.addCookie(["name": .string(cookie.name), "value": .string(cookie.value), "path": "/"])
            }
        } catch {
            throw LensFailure.from(error, during: "setting the provider's cookies on \(origin)")
        }
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(_ url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty else { return nil }
        return String(url[..<schemeEnd.upperBound]) + host
    }

    /// Screenshot and page source of the failed search, best effort (the browser may be gone);
    /// returns their diagnostics ids.
    private func saveDiagnostics(_ session: WebDriverSession, name: String) -> [String] {
        guard let diagnostics else { return [] }
        return diagnostics.save(name: name, screenshot: try? session.screenshot(), pageSource: try? session.pageSource())
    }

    /// The profile's reading of a results page that is already there (a saved real page):
    /// no upload. For checking profiles against the pages in `../peer-data/real-pages`.
    func readResults(url: String, timeoutMillis: Int) throws(StageError) -> [LensMatch] {
        let lease: BrowserLease
        do {
            lease = try pool.acquire(waitMillis: min(pool.configuration.waitMillis, timeoutMillis))
        } catch {
            throw LensFailure.browserUnavailable(error.message).stageError()
        }
        let search = LensSearch(profile: profile, session: lease.session, image: LensImage(bytes: [], format: "png", path: nil),
                                deadline: Clock.millis() + timeoutMillis)
        do {
            let matches = try search.readResults(at: url)
            pool.release(lease, healthy: true)
            return matches
        } catch {
            pool.release(lease, healthy: false)
            throw error.stageError()
        }
    }
}
