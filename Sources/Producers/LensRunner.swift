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

    /// The matches for a photo, or a `StageError` with a `lens_*` / `browser_unavailable` code.
    /// `name` names the diagnostics files (the result id).
    public func search(bytes: [UInt8], format: String, path: String?, name: String,
                       timeoutMillis: Int) throws(StageError) -> [LensMatch]
    {
        let deadline = Clock.millis() + timeoutMillis
        let lease: BrowserLease
        do {
            lease = try pool.acquire(waitMillis: min(pool.configuration.waitMillis, timeoutMillis))
        } catch {
            throw LensFailure.browserUnavailable(error.message).stageError()
        }
        let search = LensSearch(profile: profile, session: lease.session,
                                image: LensImage(bytes: bytes, format: format, path: path), deadline: deadline)
        do {
            let matches = try search.run()
            pool.release(lease, healthy: true)
            return matches
        } catch {
            let artifacts = error.code == "browser_unavailable" ? [] : saveDiagnostics(lease.session, name: name)
            pool.release(lease, healthy: false)
            throw error.stageError(artifacts: artifacts)
        }
    }

    /// Screenshot and page source of the failed search, best effort (the browser may be gone);
    /// returns their diagnostics ids.
    private func saveDiagnostics(_ session: WebDriverSession, name: String) -> [String] {
        guard let diagnostics else { return [] }
        return diagnostics.save(name: name, screenshot: try? session.screenshot(), pageSource: try? session.pageSource())
    }
}
