import Dispatch
import Glibc
import Imaging
import JSON
import Pipeline
import Synchronization

/// Runs a known photo through every visual-search provider on a schedule, so a Google layout
/// change or a dead API key shows up as a provider `degraded` in `/readyz` (and in the canary
/// counts of `/metrics`) instead of as silent empty results. A provider is `ok` when its last
/// canary search found matches, `degraded` (with the failure code) when it did not, and
/// `unknown` until its first canary search ends.
public final class VisualSearchCanary: Sendable {
    public struct ProviderState: Sendable, Equatable {
        public var state = "unknown"
        public var code: String?
        public var message: String?
        /// Unix seconds of the last canary search that found matches.
        public var lastOK: Int64?
        /// Unix seconds of the last canary search.
        public var checkedAt: Int64?
        public var okCount = 0
        public var failedCount = 0
    }

    public let providers: [any VisualSearch]
    public let intervalMillis: Int
    /// A provider without a limit of its own gets this one in the canary (in runs, the stage's).
    static let maxSearchMillis = 60_000
    let image: UploadedImage
    let bytes: [UInt8]
    let format: String
    private let states: Mutex<[String: ProviderState]>
    private let timer: Mutex<DispatchSourceTimer>
    private let started = Atomic(false)

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// `imagePath`: a photo every provider should find matches for (a product shot).
    public init(providers: [any VisualSearch], imagePath: String, intervalMillis: Int, locale: RunLocale = .fallback) throws(Invalid) {
        guard let bytes = LensProfile.readFile(imagePath, limit: 20 << 20), !bytes.isEmpty else {
            throw Invalid(description: "cannot read the canary image \(imagePath)")
        }
        guard let header = ImageHeader.parse(Array(bytes.prefix(ImageHeader.sniffLength))) else {
            throw Invalid(description: "the canary image \(imagePath) is not a PNG, JPEG or WebP image")
        }
        self.providers = providers
        self.intervalMillis = intervalMillis
        self.bytes = bytes
        format = header.format.rawValue
        // Its own id: the photo URL a hosted API fetches says "canary", never a user's result id.
        image = UploadedImage(id: "canary-\(getpid())", path: imagePath, bytes: bytes.count, locale: locale)
        states = Mutex(Dictionary(uniqueKeysWithValues: providers.map { ($0.name, ProviderState()) }))
        timer = Mutex(DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lens-gpt.canary")))
    }

    /// First round at once, then every `intervalMillis` (a round never overlaps the next).
    public func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let interval = intervalMillis
        timer.withLock { source in
            source.schedule(deadline: .now(), repeating: .milliseconds(interval))
            source.setEventHandler { [self] in runOnce() }
            source.resume()
        }
    }

    public func stop() {
        timer.withLock { $0.cancel() }
    }

    /// One round: every provider once, each within its own time limit.
    public func runOnce() {
        for provider in providers {
            let query = VisualQuery(image: image, bytes: bytes, format: format)
            let outcome: Result<Int, VisualSearchFailure>
            do {
                let result = try provider.search(query, timeoutMillis: min(provider.timeoutMillis, VisualSearchCanary.maxSearchMillis))
                outcome = result.isEmpty
                    ? .failure(VisualSearchFailure(provider: provider.name, code: "visual_no_matches",
                                                   message: "no matches for the canary photo", retryable: true))
                    : .success(result.matches.count + result.exactMatches.count)
            } catch {
                outcome = .failure(error)
            }
            let now = Int64(time(nil))
            states.withLock { all in
                var s = all[provider.name] ?? ProviderState()
                s.checkedAt = now
                switch outcome {
                case .success:
                    s.state = "ok"
                    s.code = nil
                    s.message = nil
                    s.lastOK = now
                    s.okCount += 1
                case .failure(let failure):
                    s.state = "degraded"
                    s.code = failure.code
                    s.message = failure.message
                    s.failedCount += 1
                }
                all[provider.name] = s
            }
        }
    }

    public var snapshot: [(name: String, state: ProviderState)] {
        let all = states.withLock { $0 }
        return providers.map { ($0.name, all[$0.name] ?? ProviderState()) }
    }

    /// `/readyz`'s entry: each provider's state, failure code, when it last worked.
    public var readinessJSON: JSONValue {
        var providersJSON = JSONObject()
        for (name, s) in snapshot {
            var entry: JSONObject = ["state": .string(s.state)]
            if let code = s.code { entry["code"] = .string(code) }
            if let message = s.message { entry["message"] = .string(String(message.prefix(300))) }
            entry["last_ok"] = s.lastOK.map { .string(VisualSearchCanary.isoTime($0)) } ?? .null
            if let checked = s.checkedAt { entry["checked_at"] = .string(VisualSearchCanary.isoTime(checked)) }
            providersJSON[name] = .object(entry)
        }
        let states = snapshot.map(\.state.state)
        let overall = states.contains("degraded") ? "degraded" : states.allSatisfy { $0 == "ok" } ? "ok" : "unknown"
        return ["state": .string(overall), "interval_ms": .int(intervalMillis), "providers": .object(providersJSON)]
    }

    /// Prometheus lines: canary searches by provider and result, and each provider's state.
    public var metricsText: String {
        var out = "# HELP lens_gpt_canary_searches_total Canary visual searches by provider and result.\n"
        out += "# TYPE lens_gpt_canary_searches_total counter\n"
        let all = snapshot
        for (name, s) in all {
            out += "lens_gpt_canary_searches_total{provider=\"\(name)\",result=\"ok\"} \(s.okCount)\n"
            out += "lens_gpt_canary_searches_total{provider=\"\(name)\",result=\"failed\"} \(s.failedCount)\n"
        }
        out += "# HELP lens_gpt_visual_provider_ok 1 when the provider's last canary search found matches.\n"
        out += "# TYPE lens_gpt_visual_provider_ok gauge\n"
        for (name, s) in all { out += "lens_gpt_visual_provider_ok{provider=\"\(name)\"} \(s.state == "ok" ? 1 : 0)\n" }
        return out
    }

    /// `2026-11-28T09:05:38Z`.
    static func isoTime(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
