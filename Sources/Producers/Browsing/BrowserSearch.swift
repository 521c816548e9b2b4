import Glibc
import JSON
import Outbound
import Pipeline

/// What a search page showed.
public enum SearchState: String, Sendable {
    case results
    case empty
    case blocked
    /// A page that is none of these and has no item links (a block page the profile does not
    /// know, a redirect to a home page): never "empty", never a bare timeout.
    case unrecognized
}

/// One search's outcome: its state and the results read (none when empty, blocked or unrecognized).
public struct SearchOutcome: Sendable {
    public var state: SearchState
    public var hits: [SearchHit]
    /// Where the bot check (or the unrecognized page) was, and the screenshot and page source kept of it.
    public var blockedAt: String?
    public var artifacts: [String]
    /// The item selector found nothing and the results were read around the item links (the
    /// fallback reader): the profile is stale, the listings less precise.
    public var degraded = false
}

/// A `SearchProfile` run on the shared `BrowserEngine` in a session from the pool: open the
/// results URL, pass the profile's consent step, wait until the items stop arriving (or the page
/// says there are none, or shows a bot check), read them.
public final class BrowserSearch: SearchService {
    public let pool: BrowserPool
    public let profile: SearchProfile
    /// The site of this country where the profile has one per country (nil: its default URL).
    public let country: String?
    /// Bot-check screenshots and page sources go here (nil: not kept).
    public let diagnosticsDirectory: String?

    public init(pool: BrowserPool, profile: SearchProfile, country: String? = nil, diagnosticsDirectory: String? = nil) {
        self.pool = pool
        self.profile = profile
        self.country = country
        self.diagnosticsDirectory = diagnosticsDirectory
    }

    public var name: String { profile.name }

    /// The stage-error code of a bot check: a marketplace's is `marketplace_blocked`, a web search's `search_blocked`.
    public var blockedCode: String { profile.kind == .marketplace ? "marketplace_blocked" : "search_blocked" }

    /// The stage-error code of a page the profile does not recognise: `marketplace_unrecognized` / `search_unrecognized`.
    public var unrecognizedCode: String { profile.kind == .marketplace ? "marketplace_unrecognized" : "search_unrecognized" }

    /// The hits (each marked `degraded` when the fallback reader read them), or a StageError:
    /// `marketplace_blocked` / `search_blocked` (a bot check, with a screenshot in `artifacts`),
    /// `marketplace_unrecognized` / `search_unrecognized` (a page that is neither results, the
    /// site's no-results page nor a bot check, with a screenshot), `search_timeout`,
    /// `browser_unavailable`. An empty result is `[]`.
    public func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        let outcome = try run(url: profile.url(for: query, country: country), timeoutMillis: timeoutMillis)
        switch outcome.state {
        case .blocked:
            throw StageError(code: blockedCode, message: "\(profile.name): bot check at \(outcome.blockedAt ?? "the results page")",
                             retryable: true, artifacts: outcome.artifacts)
        case .unrecognized:
            throw StageError(code: unrecognizedCode,
                             message: "\(profile.name): not a results page, a no-results page or a known bot check at \(outcome.blockedAt ?? "the results page")",
                             retryable: true, artifacts: outcome.artifacts)
        case .results, .empty:
            return outcome.hits
        }
    }

    /// Runs the profile on `url` (a results page): a bot check is a state here, not an error.
    public func run(url: String, timeoutMillis: Int) throws(StageError) -> SearchOutcome {
        let deadline = Clock.millis() + timeoutMillis
        let lease: BrowserLease
        do {
            lease = try pool.acquire(waitMillis: min(pool.configuration.waitMillis, timeoutMillis))
        } catch {
            throw StageError(code: "browser_unavailable", message: "\(profile.name) search: \(error.message)", retryable: true)
        }
        let engine = BrowserEngine(signals: profile.signals, session: lease.session, deadline: deadline)
        do throws(BrowserRunFailure) {
            try engine.open(url)
            let outcome: SearchOutcome
            switch try engine.waitForResults(pageLimitMillis: profile.signals.maxWaitMillis, acceptConsent: true, unrecognizedAtLimit: true) {
            case .empty:
                outcome = SearchOutcome(state: .empty, hits: [], blockedAt: nil, artifacts: [])
            case .items:
                let hits = SearchHitReader(profile: profile).hits(try engine.extract(profile.extractScript, profile.extractOptions))
                if !hits.isEmpty {
                    outcome = SearchOutcome(state: .results, hits: hits, blockedAt: nil, artifacts: [])
                } else {
                    // Items the profile cannot read (their links changed shape): the fallback, else say what the page is.
                    outcome = try readFallback(engine, lease: lease)
                }
            case .itemLinks:
                outcome = try readFallback(engine, lease: lease)
            case .unrecognized(let place):
                outcome = unrecognized(at: place, lease: lease)
            }
            pool.release(lease, healthy: true)
            return outcome
        } catch {
            switch error {
            case .blocked(let place):
                let artifacts = BrowserDiagnostics.save(lease.session, into: diagnosticsDirectory, stem: "search-\(profile.name)")
                pool.release(lease, healthy: false)
                return SearchOutcome(state: .blocked, hits: [], blockedAt: place, artifacts: artifacts)
            case .timeout(let message):
                pool.release(lease, healthy: false)
                throw StageError(code: "search_timeout", message: "\(profile.name): \(message)", retryable: true)
            case .consent(let message):
                let artifacts = BrowserDiagnostics.save(lease.session, into: diagnosticsDirectory, stem: "search-\(profile.name)")
                pool.release(lease, healthy: false)
                throw StageError(code: "search_consent", message: "\(profile.name): \(message)", retryable: false, artifacts: artifacts)
            case .browserUnavailable(let message):
                pool.release(lease, healthy: false)
                throw StageError(code: "browser_unavailable", message: "\(profile.name): \(message)", retryable: true)
            }
        }
    }
}

extension BrowserSearch {
    /// The fallback reader around the item links; no hits from it: the site's no-results page
    /// when it says so, else an unrecognized page.
    fileprivate func readFallback(_ engine: BrowserEngine, lease: BrowserLease) throws(BrowserRunFailure) -> SearchOutcome {
        if profile.itemLinkPattern != nil {
            let hits = SearchHitReader(profile: profile).hits(try engine.extract(SearchScripts.fallback, profile.fallbackOptions))
                .map { hit in
                    var marked = hit
                    marked.degraded = true
                    return marked
                }
            if !hits.isEmpty { return SearchOutcome(state: .results, hits: hits, blockedAt: nil, artifacts: [], degraded: true) }
        }
        let state = try engine.probe()
        if state.empty { return SearchOutcome(state: .empty, hits: [], blockedAt: nil, artifacts: []) }
        return unrecognized(at: state.url, lease: lease)
    }

    /// An unrecognized page, with its screenshot and source kept as a bot check's are.
    fileprivate func unrecognized(at place: String, lease: BrowserLease) -> SearchOutcome {
        let artifacts = BrowserDiagnostics.save(lease.session, into: diagnosticsDirectory, stem: "search-\(profile.name)-unrecognized")
        return SearchOutcome(state: .unrecognized, hits: [], blockedAt: place, artifacts: artifacts)
    }
}

/// Turns what the extraction script read into hits: http(s) links only, the site's own
/// redirects already unwrapped by the script, tracking parameters dropped, titles cleaned of
/// the profile's noise patterns.
struct SearchHitReader {
    let profile: SearchProfile

    func hits(_ raw: JSONValue) -> [SearchHit] {
        let noise = profile.titleNoise.compactMap { try? Regex($0).ignoresCase() }
        return (raw.arrayValue ?? []).compactMap { item in
            func text(_ key: String) -> String? { item[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
            guard var title = text("title"), let link = text("link"), link.hasPrefix("http://") || link.hasPrefix("https://") else {
                return nil
            }
            for pattern in noise { title = title.replacing(pattern, with: "") }
            title = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard !title.isEmpty else { return nil }
            return SearchHit(title: title, link: LensLinks.stripTracking(link), priceText: text("price"), wear: text("wear"),
                             thumbnail: text("thumbnail"), snippet: text("snippet"), shippingText: text("shipping"),
                             soldText: text("sold"), partialMatch: item["partial"]?.boolValue ?? false)
        }
    }
}

/// Web search profiles tried in order until one answers: a bot check, a timeout or a missing
/// browser moves on to the next; an empty result is an answer. When all fail, one error names
/// each engine's failure.
public struct SearchChain: SearchService {
    public let searches: [any SearchService]

    public init(_ searches: [any SearchService]) { self.searches = searches }

    public var name: String { searches.map(\.name).joined(separator: ", ") }

    public func search(_ query: String, timeoutMillis: Int) throws -> [SearchHit] {
        let deadline = Clock.millis() + timeoutMillis
        var failures: [String] = []
        var artifacts: [String] = []
        var allBlocked = true
        for (index, search) in searches.enumerated() {
            // Each engine gets an equal share of what is left, the last one all of it.
            let left = deadline - Clock.millis()
            guard left > 0 else {
                failures.append("\(search.name): no time left")
                allBlocked = false
                break
            }
            let share = index == searches.count - 1 ? left : max(left / (searches.count - index), min(left, 5_000))
            do {
                return try search.search(query, timeoutMillis: share)
            } catch let error as StageError {
                failures.append("\(search.name) \(error.code) (\(error.message))")
                artifacts += error.artifacts
                if !error.code.hasSuffix("_blocked") { allBlocked = false }
            } catch {
                failures.append("\(search.name): \(error)")
                allBlocked = false
            }
        }
        throw StageError(code: allBlocked ? "search_blocked" : "search_failed",
                         message: "every web search failed: " + failures.joined(separator: "; "), retryable: true, artifacts: artifacts)
    }
}
