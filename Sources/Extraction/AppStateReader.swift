/// Embedded application state (`__NEXT_DATA__` and similar JSON blobs). Placeholder until the
/// reader lands: no candidates.
enum AppStateReader {
    static func candidates(in document: HTMLDocument, limits: ExtractionLimits) -> [ProductCandidate] { [] }
}
