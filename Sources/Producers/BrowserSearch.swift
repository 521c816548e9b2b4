import Glibc
import JSON
import Outbound
import Pipeline

/// A `SearchProfile` run in a browser session from the pool: open the results URL, wait until
/// the items stop arriving (or the page says there are none), read them.
public final class BrowserSearch: SearchService {
    public let pool: BrowserPool
    public let profile: SearchProfile

    public init(pool: BrowserPool, profile: SearchProfile) {
        self.pool = pool
        self.profile = profile
    }

    public var name: String { profile.name }

    /// The hits, or a StageError: `search_blocked` (a bot check), `search_timeout`, `browser_unavailable`.
    public func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        let deadline = Clock.millis() + timeoutMillis
        let lease: BrowserLease
        do {
            lease = try pool.acquire(waitMillis: min(pool.configuration.waitMillis, timeoutMillis))
        } catch {
            throw StageError(code: "browser_unavailable", message: "\(profile.name) search: \(error.message)", retryable: true)
        }
        do {
            let hits = try run(query, session: lease.session, deadline: deadline)
            pool.release(lease, healthy: true)
            return hits
        } catch {
            pool.release(lease, healthy: false)
            throw error
        }
    }

    private func run(_ query: String, session: WebDriverSession, deadline: Int) throws(StageError) -> [SearchHit] {
        let url = profile.url(for: query)
        do {
            try session.setTimeouts(scriptMillis: 10_000, pageLoadMillis: max(1_000, min(20_000, deadline - Clock.millis())))
            try session.navigate(to: url)
        } catch {
            throw failure(error, during: "opening \(url)")
        }
        let argument: JSONValue = [
            "blockedURL": list(profile.blockedURLContains), "blockedText": list(profile.blockedTextContains),
            "blockedSelectors": list(profile.blockedSelectors), "item": .string(profile.itemSelector),
            "emptySelectors": list(profile.emptySelectors), "emptyText": list(profile.emptyTextContains),
        ]
        let waitDeadline = min(deadline, Clock.millis() + profile.maxWaitMillis)
        var count = -1
        var changedAt = Clock.millis()
        while true {
            let state: JSONValue
            do {
                state = try session.execute(SearchScripts.probe, [argument], timeoutMillis: 10_000)
            } catch {
                if error.endsSession { throw failure(error, during: "reading \(url)") }
                state = [:]  // mid-navigation: look again
            }
            if state["blocked"]?.boolValue == true {
                throw StageError(code: "search_blocked", message: "\(profile.name): bot check at \(state["url"]?.stringValue ?? url)",
                                 retryable: true)
            }
            let items = state["items"]?.intValue ?? 0
            if items == 0 && state["empty"]?.boolValue == true { return [] }
            if items != count {
                count = items
                changedAt = Clock.millis()
            } else if items > 0 && Clock.millis() - changedAt >= profile.stableMillis {
                break
            }
            if Clock.millis() >= waitDeadline {
                if items == 0 {
                    throw StageError(code: "search_timeout", message: "\(profile.name): no results at \(url) within \(profile.maxWaitMillis) ms",
                                     retryable: true)
                }
                break
            }
            usleep(UInt32(profile.pollMillis * 1_000))  // between looks at the page; the deadline bounds the loop
        }
        let raw: JSONValue
        do {
            raw = try session.execute(profile.extractScript, [profile.extractOptions])
        } catch {
            throw failure(error, during: "reading the results of \(url)")
        }
        return (raw.arrayValue ?? []).compactMap { item in
            guard let title = item["title"]?.stringValue, !title.isEmpty,
                  let link = item["link"]?.stringValue, link.hasPrefix("http://") || link.hasPrefix("https://") else { return nil }
            func text(_ key: String) -> String? { item[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
            return SearchHit(title: title, link: LensLinks.clean(link), priceText: text("price"), wear: text("wear"),
                             thumbnail: text("thumbnail"), snippet: text("snippet"))
        }
    }

    private func failure(_ error: WebDriverError, during step: String) -> StageError {
        switch error.code {
        case .timeout, .scriptTimeout:
            StageError(code: "search_timeout", message: "\(profile.name): \(step): \(error.message)", retryable: true)
        default:
            StageError(code: "browser_unavailable", message: "\(profile.name): \(step): \(error.description)", retryable: true)
        }
    }

    private func list(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
}
