/// Every bound the extraction layer enforces, in one place so callers can tighten them.
public struct ExtractionLimits: Sendable {
    /// Largest page accepted, before and after gzip decoding (decompression bombs stop here).
    public static let defaultMaxInputBytes = 10 * 1024 * 1024

    public var maxInputBytes = defaultMaxInputBytes
    /// One JSON-LD block; real ones are a few KiB, a megabyte is already a catalogue dump.
    public var maxJSONLDBytes = 2 * 1024 * 1024
    /// One embedded app-state blob (`__NEXT_DATA__` and the like) can hold a whole store page.
    public var maxAppStateBytes = 6 * 1024 * 1024
    /// Visible main text handed to later stages (an LLM prompt, say).
    public var maxVisibleTextCharacters = 20_000

    public init() {}

    static func describe(bytes: Int) -> String {
        bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB" : "\(bytes) bytes"
    }
}
