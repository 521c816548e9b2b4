import Dispatch
import Glibc
import JSON
import Pipeline
import Synchronization

/// Runs one known query through every marketplace and web-search profile on a schedule, as the
/// visual-search canary does with its photo, so a site's redesign, a new block page or a bot
/// check shows up in `/readyz` and `/metrics` before users see empty offers. A profile is `ok`
/// when its last canary search read results with its own selectors, `degraded` with a `reason`
/// when it did not: `blocked` (a bot check), `unrecognized` (neither results, the no-results page
/// nor a known bot check), `degraded` (read only by the fallback reader: the profile is stale),
/// `empty` (the site's no-results page where results were expected) or `failed` (a timeout, no
/// browser; `code` says which). `unknown` until its first canary search ends.
public final class SearchCanary: Sendable {
    /// One profile and the query it is checked with.
    public struct Probe: Sendable {
        public let search: BrowserSearch
        public let query: String

        public init(search: BrowserSearch, query: String) {
            self.search = search
            self.query = query
        }
    }

    public struct ProfileState: Sendable, Equatable {
        public var state = "unknown"
        public var reason: String?
        public var code: String?
        public var message: String?
        /// Results the last canary search read.
        public var results = 0
        /// Unix seconds of the last canary search that read results with the profile's own selectors.
        public var lastOK: Int64?
        /// Unix seconds of the last canary search.
        public var checkedAt: Int64?
        /// Canary searches by result (`ok` or a reason).
        public var counts: [String: Int] = [:]
    }

    /// The results of a canary search, in the order `/metrics` lists them.
    static let resultNames = ["ok", "blocked", "unrecognized", "degraded", "empty", "failed"]

    public let probes: [Probe]
    public let intervalMillis: Int
    /// One canary search's time limit.
    public let searchTimeoutMillis: Int
    private let states: Mutex<[String: ProfileState]>
    /// Made by `start`: a timer source never resumed must not be released (libdispatch traps), and
    /// a canary may be built and never started (`classify`, tests).
    private let timer = Mutex<DispatchSourceTimer?>(nil)

    public init(probes: [Probe], intervalMillis: Int, searchTimeoutMillis: Int = 60_000) {
        self.probes = probes
        self.intervalMillis = intervalMillis
        self.searchTimeoutMillis = searchTimeoutMillis
        states = Mutex(Dictionary(probes.map { ($0.search.name, ProfileState()) }, uniquingKeysWith: { first, _ in first }))
    }

    /// First round at once, then every `intervalMillis` (a round never overlaps the next).
    public func start() {
        let interval = intervalMillis
        timer.withLock { timer in
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lens-gpt.search-canary"))
            source.schedule(deadline: .now(), repeating: .milliseconds(interval))
            source.setEventHandler { [self] in runOnce() }
            source.resume()
            timer = source
        }
    }

    public func stop() {
        timer.withLock { $0?.cancel() }
    }

    /// One round: every profile once, each within the canary's time limit.
    public func runOnce() {
        for probe in probes {
            let search = probe.search
            let outcome = Result { () throws(StageError) in
                try search.run(url: search.profile.url(for: probe.query, country: search.country), timeoutMillis: searchTimeoutMillis)
            }
            let verdict = SearchCanary.judge(outcome)
            let now = Int64(time(nil))
            states.withLock { all in
                var s = all[search.name] ?? ProfileState()
                s.checkedAt = now
                s.state = verdict.reason == nil ? "ok" : "degraded"
                s.reason = verdict.reason
                s.code = verdict.code
                s.message = verdict.message
                s.results = verdict.results
                if verdict.reason == nil { s.lastOK = now }
                s.counts[verdict.reason ?? "ok", default: 0] += 1
                all[search.name] = s
            }
        }
    }

    /// What one canary search says about its profile: no reason when it read results with the
    /// profile's own selectors.
    static func judge(_ outcome: Result<SearchOutcome, StageError>) -> (reason: String?, code: String?, message: String?, results: Int) {
        switch outcome {
        case .failure(let error):
            return ("failed", error.code, error.message, 0)
        case .success(let found):
            switch found.state {
            case .blocked: return ("blocked", nil, "bot check at \(found.blockedAt ?? "the results page")", 0)
            case .unrecognized:
                return ("unrecognized", nil, "not a results page, a no-results page or a known bot check at \(found.blockedAt ?? "the results page")", 0)
            case .empty: return ("empty", nil, "empty where results were expected", 0)
            case .results where found.hits.isEmpty: return ("empty", nil, "empty where results were expected", 0)
            case .results where found.degraded:
                return ("degraded", nil, "the item selector found nothing; \(found.hits.count) results read around the item links", found.hits.count)
            case .results: return (nil, nil, nil, found.hits.count)
            }
        }
    }

    public var snapshot: [(name: String, state: ProfileState)] {
        let all = states.withLock { $0 }
        return probes.map { ($0.search.name, all[$0.search.name] ?? ProfileState()) }
    }

    /// `/readyz`'s entry: each profile's state, the reason when degraded, when it last worked.
    public var readinessJSON: JSONValue {
        var profiles = JSONObject()
        let all = snapshot
        for (probe, (name, s)) in zip(probes, all) {
            var entry: JSONObject = ["state": .string(s.state), "kind": .string(probe.search.profile.kind.rawValue),
                                     "query": .string(probe.query)]
            if let reason = s.reason { entry["reason"] = .string(reason) }
            if let code = s.code { entry["code"] = .string(code) }
            if let message = s.message { entry["message"] = .string(String(message.prefix(300))) }
            if s.checkedAt != nil { entry["results"] = .int(s.results) }
            entry["last_ok"] = s.lastOK.map { .string(VisualSearchCanary.isoTime($0)) } ?? .null
            if let checked = s.checkedAt { entry["checked_at"] = .string(VisualSearchCanary.isoTime(checked)) }
            profiles[name] = .object(entry)
        }
        let states = all.map(\.state.state)
        let overall = states.contains("degraded") ? "degraded" : states.allSatisfy { $0 == "ok" } ? "ok" : "unknown"
        return ["state": .string(overall), "interval_ms": .int(intervalMillis), "profiles": .object(profiles)]
    }

    /// Prometheus lines: canary searches by profile and result, and each profile's state.
    public var metricsText: String {
        var out = "# HELP lens_gpt_search_canary_total Canary searches by search profile and result (ok or the reason it was not).\n"
        out += "# TYPE lens_gpt_search_canary_total counter\n"
        let all = snapshot
        for (name, s) in all {
            for result in SearchCanary.resultNames {
                out += "lens_gpt_search_canary_total{profile=\"\(name)\",result=\"\(result)\"} \(s.counts[result] ?? 0)\n"
            }
        }
        out += "# HELP lens_gpt_search_profile_ok 1 when the profile's last canary search read results with its own selectors.\n"
        out += "# TYPE lens_gpt_search_profile_ok gauge\n"
        for (name, s) in all { out += "lens_gpt_search_profile_ok{profile=\"\(name)\"} \(s.state == "ok" ? 1 : 0)\n" }
        return out
    }
}
