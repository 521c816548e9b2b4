import ArgumentParser
import PhotoReading

/// Settings of reading the photo itself (`barcodes`, `photo-text`), shared by `serve`,
/// `classify` and `read`. Turning the readers off (`--no-photo-reading`) is the pipeline's
/// option, not `read`'s, whose whole work they are.
struct PhotoReadingOptions: ParsableArguments {
    @Option(help: "Largest copy of the photo searched for barcodes, in pixels (LENS_GPT_BARCODE_PIXELS, default 12000000).")
    var barcodePixels: String?
    @Option(help: "Largest copy of the photo read for text, in pixels (LENS_GPT_PHOTO_TEXT_PIXELS, default 6000000).")
    var photoTextPixels: String?
    @Option(help: "Milliseconds the text reader may take, a safety net that makes the text depend on load (LENS_GPT_PHOTO_TEXT_TIMEOUT_MS, default 15000).")
    var photoTextTimeoutMs: String?
    @Option(help: "Text lines Tesseract recognises at most per reading, in page order (LENS_GPT_PHOTO_TEXT_MAX_LINES, default 80).")
    var photoTextMaxLines: String?
    @Option(help: "Characters of photo text reported at most (LENS_GPT_PHOTO_TEXT_MAX_CHARS, default 4000).")
    var photoTextMaxChars: String?
    @Option(help: "Words below this confidence (0-100) are left out (LENS_GPT_PHOTO_TEXT_MIN_CONFIDENCE, default 50).")
    var photoTextMinConfidence: String?
    @Option(help: "Memory all photo reading in the process may hold at once, e.g. 256MiB; a photo that needs more waits, then is refused with photo_busy (LENS_GPT_PHOTO_MEMORY_BUDGET, default 256MiB).")
    var photoMemoryBudget: String?
    @Option(help: "Milliseconds a photo waits for the memory budget before it is refused (LENS_GPT_PHOTO_MEMORY_WAIT_MS, default 20000).")
    var photoMemoryWaitMs: String?
    @Option(help: "Language of the photo text when a request names none: a tag such as de or de-DE, or a Tesseract code (LENS_GPT_PHOTO_TEXT_LANGUAGE, default eng).")
    var photoTextLanguage: String?

    /// The limits. The pixel limit is the gateway's (`LENS_GPT_MAX_PIXELS`).
    func limits(maxPixels flag: String? = nil) throws -> PhotoReadingLimits {
        var l = PhotoReadingLimits()
        l.maxPixels = try Setting.int(flag, env: "LENS_GPT_MAX_PIXELS", default: l.maxPixels, in: 1...1_000_000_000)
        l.barcodePixels = try Setting.int(barcodePixels, env: "LENS_GPT_BARCODE_PIXELS", default: l.barcodePixels, in: 10_000...1_000_000_000)
        l.textPixels = try Setting.int(photoTextPixels, env: "LENS_GPT_PHOTO_TEXT_PIXELS", default: l.textPixels, in: 10_000...1_000_000_000)
        l.textTimeoutMillis = try Setting.int(photoTextTimeoutMs, env: "LENS_GPT_PHOTO_TEXT_TIMEOUT_MS", default: l.textTimeoutMillis, in: 1...600_000)
        l.maxTextLines = try Setting.int(photoTextMaxLines, env: "LENS_GPT_PHOTO_TEXT_MAX_LINES", default: l.maxTextLines, in: 1...10_000)
        l.maxTextCharacters = try Setting.int(photoTextMaxChars, env: "LENS_GPT_PHOTO_TEXT_MAX_CHARS", default: l.maxTextCharacters, in: 1...1_000_000)
        l.minWordConfidence = try Setting.int(photoTextMinConfidence, env: "LENS_GPT_PHOTO_TEXT_MIN_CONFIDENCE",
                                              default: l.minWordConfidence, in: 0...100)
        l.memoryBudget = try Setting.bytes(photoMemoryBudget, env: "LENS_GPT_PHOTO_MEMORY_BUDGET", default: l.memoryBudget, in: (16 << 20)...(64 << 30))
        l.memoryWaitMillis = try Setting.int(photoMemoryWaitMs, env: "LENS_GPT_PHOTO_MEMORY_WAIT_MS", default: l.memoryWaitMillis, in: 0...600_000)
        return l
    }

    /// Every number checked when the command line is parsed, before anything starts.
    func validate() throws {
        try Setting.validating { _ = try limits() }
    }

    var language: String { Setting.string(photoTextLanguage, env: "LENS_GPT_PHOTO_TEXT_LANGUAGE", default: TesseractLanguages.fallback) }
}
