/// What reading a photo may cost. Each is a named setting (README, "Settings").
public struct PhotoReadingLimits: Sendable, Equatable {
    /// Largest photo (width × height) decoded at all: the gateway's pixel limit.
    public var maxPixels = 100_000_000
    /// Barcodes are looked for in a copy at most this large (a 40-megapixel photo is scanned at
    /// about a third of its size; a JPEG is decoded at that size straight away).
    public var barcodePixels = 12_000_000
    /// Printed text is read from a copy at most this large.
    public var textPixels = 6_000_000
    /// Time the text reader may take before it stops with what it has: a safety net only
    /// (`truncated_by: "time"`); `maxTextLines` is what bounds the work of a normal reading.
    public var textTimeoutMillis = 15_000
    /// Text lines Tesseract recognises at most per reading, in page order (it stops there,
    /// `truncated_by: "lines"`): the same photo is cut at the same line whatever the load. About
    /// a page's worth: 80 full lines are more than `maxTextCharacters` keeps.
    public var maxTextLines = 80
    /// Characters of text reported at most (the rest is dropped, `truncated` says so).
    public var maxTextCharacters = 4_000
    /// Words below this confidence (0–100, Tesseract's scale) are left out: on photos they are
    /// mostly texture read as letters.
    public var minWordConfidence = 50
    /// Memory all photo reading in the process may hold at once (decoding and the decoded
    /// copies), in bytes: a photo that would take more waits, then is refused (`photo_busy`).
    public var memoryBudget = 256 << 20
    /// How long a photo waits for the memory budget before it is refused.
    public var memoryWaitMillis = 20_000

    public init() {}
}
