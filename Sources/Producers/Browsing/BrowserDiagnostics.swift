import Outbound

/// What a failed browser run leaves behind for a person to look at: a screenshot and the page
/// source, best effort (the browser may be gone), kept as `LensDiagnostics` keeps them (0600,
/// bounded, purged with results) and named by id, never by path.
enum BrowserDiagnostics {
    /// The ids saved under `directory` (nil: nothing is kept).
    static func save(_ session: WebDriverSession, into directory: String?, stem name: String) -> [String] {
        guard let directory else { return [] }
        return LensDiagnostics(directory: directory).save(name: name, screenshot: try? session.screenshot(),
                                                           pageSource: try? session.pageSource())
    }
}
