/// Where finished results live across restarts. An interface so that several gateways can
/// later share one store (see ARCHITECTURE.md, "Scaling past one machine").
public protocol ResultStore: Sendable {
    /// A stored result, or nil.
    func load(id: String) throws -> (status: ResultStatus, events: [ResultEvent])?
    /// Notes that a run started, so an interrupted one is known after a crash.
    func markRunning(id: String) throws
    /// Saves a finished run, all or nothing.
    func save(id: String, status: ResultStatus, events: [ResultEvent]) throws
    /// Removes runs that never finished (the process died); they run again on the next upload.
    func removeInterrupted() throws -> Int
    /// Removes results finished more than `seconds` ago.
    func purge(olderThanSeconds seconds: Int64) throws -> Int
    /// Throws when the store cannot be used (for /readyz).
    func check() throws
}
