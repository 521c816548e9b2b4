import Synchronization

/// Token buckets per client address: `perMinute` tokens a minute, up to `burst` saved.
/// Bounded: when it tracks too many clients, full (idle) buckets are forgotten first.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }
    private let perMinute: Int
    private let burst: Int
    private let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perMinute: Int, burst: Int, maxClients: Int = 100_000) {
        self.perMinute = perMinute
        self.burst = max(1, burst)
        self.maxClients = maxClients
    }

    /// nil when allowed; otherwise seconds until the client may try again.
    func take(_ client: String, nowMillis: UInt64) -> Int? {
        guard perMinute > 0 else { return nil }
        let rate = Double(perMinute) / 60_000  // tokens per millisecond
        return buckets.withLock { all in
            var bucket = all[client] ?? Bucket(tokens: Double(burst), updated: nowMillis)
            bucket.tokens = min(Double(burst), bucket.tokens + Double(nowMillis &- bucket.updated) * rate)
            bucket.updated = nowMillis
            defer {
                if all.count >= maxClients && all[client] == nil { forgetIdle(&all, nowMillis: nowMillis, rate: rate) }
                all[client] = bucket
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate / 1000).rounded(.up)))
        }
    }

    private func forgetIdle(_ all: inout [String: Bucket], nowMillis: UInt64, rate: Double) {
        all = all.filter { Double(nowMillis &- $0.value.updated) * rate + $0.value.tokens < Double(burst) }
        if all.count >= maxClients { all.removeAll() }  // everyone busy: start over rather than grow
    }
}
