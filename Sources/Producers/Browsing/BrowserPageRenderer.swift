import Outbound
import Pipeline
import Secrets

/// The browser's view of a page, for shops that render their price with JavaScript or turn
/// plain fetches away.
public final class BrowserPageRenderer: PageRenderer {
    public let pool: BrowserPool

    public init(pool: BrowserPool) { self.pool = pool }

    /// What the browser may reach is the guard proxy's business (`BrowserGuardProxy`: every
    /// request of the page, redirects and scripts included); a URL that libcurl and the browser
    /// could read differently is refused here, before the browser sees it.
    public func render(_ url: String, timeoutMillis: Int) throws -> (url: String, html: String) {
        if let refusal = NavigationURL.refusal(url) {
            throw StageError(code: "fetch_blocked", message: refusal, retryable: false)
        }
        let lease: BrowserLease
        do {
            lease = try pool.acquire(waitMillis: min(pool.configuration.waitMillis, timeoutMillis))
        } catch {
            throw StageError(code: "browser_unavailable", message: "rendering \(MessageURL.display(url)): \(error.message)", retryable: true)
        }
        do {
            try lease.session.setTimeouts(scriptMillis: 10_000, pageLoadMillis: max(1_000, min(20_000, timeoutMillis)))
            try lease.session.navigate(to: url)
            // The load event has fired (page load strategy "normal"); scripts that ran on
            // DOMContentLoaded or load have written their part.
            let html = try lease.session.execute("return document.documentElement.outerHTML;").stringValue ?? ""
            let final = (try? lease.session.currentURL()) ?? url
            pool.release(lease, healthy: true)
            return (final, html)
        } catch {
            pool.release(lease, healthy: false)
            let code = error.code == .timeout || error.code == .scriptTimeout ? "fetch_timeout" : "fetch_failed"
            throw StageError(code: code, message: "rendering \(MessageURL.display(url)) in the browser: \(error.message)", retryable: true)
        }
    }
}
