import ArgumentParser
import JSON
import PhotoReading
import Producers

/// `lens-gpt read IMAGE`: what the photo itself says, as one JSON object
/// `{"barcodes": [{"symbology", "value", "gtin", "decoders"}], "text", "lines", "words", "language", "truncated", "truncated_by"}`.
/// An unreadable image prints `{"error": {"code", "message", "retryable"}}` on stderr and exits 1.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read the barcodes (EAN/UPC) and the printed text in a photo."
    )

    @Argument(help: "A PNG, JPEG, WebP or TIFF image, or '-' for stdin.")
    var image: String

    /// The old name of `--photo-text-language`, kept working but out of the help.
    @Option(name: .customLong("language"), help: .hidden)
    var deprecatedLanguage: String?

    @Option(help: "Largest image in pixels, width × height (LENS_GPT_MAX_PIXELS, default 100000000).")
    var maxPixels: String?

    @Option(help: "Largest file read, e.g. 20MiB (LENS_GPT_MAX_UPLOAD, default 20MiB).")
    var maxBytes: String?

    @OptionGroup var photo: PhotoReadingOptions

    func run() throws {
        let limits = try photo.limits(maxPixels: maxPixels)
        let byteLimit = try Setting.bytes(maxBytes, env: "LENS_GPT_MAX_UPLOAD", flagName: "--max-bytes", default: 20 << 20, in: 1...(1 << 30))
        let bytes = PhotoFile.read(image, maxBytes: byteLimit)
        do {
            let (barcodes, text) = try PhotoReader(limits: limits).read(bytes, language: deprecatedLanguage ?? photo.language)
            let out: JSONValue = [
                "barcodes": .array(barcodes.map(\.json)),
                "text": .string(text.text),
                "lines": .array(text.lines.map(JSONValue.string)),
                "words": text.json["words"] ?? [],
                "language": .string(text.language),
                "truncated": .bool(text.truncated),
                "truncated_by": text.json["truncated_by"] ?? .null,
            ]
            print(out.serialized())
        } catch {
            CommandOutput.fail(error.code, error.message, retryable: error.retryable)
        }
    }
}
