import Glibc
import JSON
import Outbound
import Pipeline

/// Runs visual searches: takes a browser session from the pool, searches, gives the session
/// back (recycled after any failure), and on failure keeps a screenshot and the page source.
public final class LensRunner: Sendable {
    public let pool: BrowserPool
    public let profile: LensProfile
    /// Failure screenshots and page sources go here (nil: not kept).
    public let diagnosticsDirectory: String?

    public init(pool: BrowserPool, profile: LensProfile, diagnosticsDirectory: String?) {
        self.pool = pool
        self.profile = profile
        self.diagnosticsDirectory = diagnosticsDirectory
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
            let artifacts = error.code == "browser_unavailable" ? []
                : BrowserDiagnostics.save(lease.session, into: diagnosticsDirectory, stem: "lens-\(name.prefix(16))")
            pool.release(lease, healthy: false)
            throw error.stageError(artifacts: artifacts)
        }
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
