import Pipeline
import Synchronization

/// Counters for `/metrics` in the Prometheus text format.
public final class Metrics: Sendable {
    private struct State {
        var runsByStatus: [String: Int] = [:]
        var stageSeconds: [String: (sum: Double, count: Int, buckets: [Int])] = [:]
        var uploadsAccepted = 0
        var uploadsRefused = 0
        var uploadBytes = 0
        var storeFailures = 0
    }
    private let state = Mutex(State())
    static let bucketBounds: [Double] = [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60]

    public init() {}

    func uploadAccepted(bytes: Int) {
        state.withLock {
            $0.uploadsAccepted += 1
            $0.uploadBytes += bytes
        }
    }

    func uploadRefused() { state.withLock { $0.uploadsRefused += 1 } }

    /// A store call failed (a result not saved, a run not recorded).
    func storeFailed() { state.withLock { $0.storeFailures += 1 } }

    func runFinished(_ summary: RunSummary) {
        state.withLock { s in
            s.runsByStatus[summary.status.rawValue, default: 0] += 1
            for stage in summary.stages {
                guard let millis = stage.durationMillis else { continue }
                let seconds = Double(millis) / 1000
                var entry = s.stageSeconds[stage.stage] ?? (0, 0, Array(repeating: 0, count: Metrics.bucketBounds.count))
                entry.sum += seconds
                entry.count += 1
                for (i, bound) in Metrics.bucketBounds.enumerated() where seconds <= bound { entry.buckets[i] += 1 }
                s.stageSeconds[stage.stage] = entry
            }
        }
    }

    /// The exposition text; `gauges` and the responses (counted by the HTTP server's loops) are
    /// sampled by the caller at scrape time.
    func render(gauges: [(name: String, help: String, value: Int)], responsesByStatus: [Int: Int]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        for gauge in gauges {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(gauge.value)\n"
        }
        out += "# HELP lens_gpt_http_requests_total HTTP responses by status code.\n# TYPE lens_gpt_http_requests_total counter\n"
        for (status, count) in responsesByStatus.sorted(by: { $0.key < $1.key }) {
            out += "lens_gpt_http_requests_total{status=\"\(status)\"} \(count)\n"
        }
        out += "# HELP lens_gpt_runs_total Finished pipeline runs by outcome.\n# TYPE lens_gpt_runs_total counter\n"
        for status in ["complete", "partial", "failed"] {
            out += "lens_gpt_runs_total{status=\"\(status)\"} \(s.runsByStatus[status] ?? 0)\n"
        }
        out += "# HELP lens_gpt_uploads_total Uploads by outcome.\n# TYPE lens_gpt_uploads_total counter\n"
        out += "lens_gpt_uploads_total{outcome=\"accepted\"} \(s.uploadsAccepted)\n"
        out += "lens_gpt_uploads_total{outcome=\"refused\"} \(s.uploadsRefused)\n"
        out += "# HELP lens_gpt_upload_bytes_total Bytes of accepted images.\n# TYPE lens_gpt_upload_bytes_total counter\n"
        out += "lens_gpt_upload_bytes_total \(s.uploadBytes)\n"
        out += "# HELP lens_gpt_store_failures_total Store calls that failed (results not saved, runs not recorded).\n# TYPE lens_gpt_store_failures_total counter\n"
        out += "lens_gpt_store_failures_total \(s.storeFailures)\n"
        out += "# HELP lens_gpt_stage_duration_seconds Time each pipeline stage took.\n# TYPE lens_gpt_stage_duration_seconds histogram\n"
        for (stage, entry) in s.stageSeconds.sorted(by: { $0.key < $1.key }) {
            for (i, bound) in Metrics.bucketBounds.enumerated() {
                out += "lens_gpt_stage_duration_seconds_bucket{stage=\"\(stage)\",le=\"\(bound)\"} \(entry.buckets[i])\n"
            }
            out += "lens_gpt_stage_duration_seconds_bucket{stage=\"\(stage)\",le=\"+Inf\"} \(entry.count)\n"
            out += "lens_gpt_stage_duration_seconds_sum{stage=\"\(stage)\"} \(entry.sum)\n"
            out += "lens_gpt_stage_duration_seconds_count{stage=\"\(stage)\"} \(entry.count)\n"
        }
        return out
    }
}
