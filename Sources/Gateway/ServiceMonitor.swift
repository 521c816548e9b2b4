import JSON

/// Something the gateway reports on without knowing what it is (the visual-search canary):
/// an entry under `checks` in `/readyz` and lines in `/metrics`.
public protocol ServiceMonitor: Sendable {
    /// The key under `checks` in `/readyz`.
    var name: String { get }
    /// The entry's JSON, and whether the gateway counts as ready for it.
    func readiness() -> (detail: JSONValue, ok: Bool)
    /// Prometheus exposition lines (with their `# HELP` / `# TYPE`).
    func metricsText() -> String
}
