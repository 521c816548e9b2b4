import ArgumentParser
import JSON
import PhotoReading
import Producers

/// `lens-gpt read IMAGE`: what the photo itself says, as one JSON object
/// `{"barcodes": [{"symbology", "value", "gtin", "decoders"}], "text", "lines", "words", "language", "truncated", "truncated_by"}`.
/// An unreadable image prints `{"error": {"code", "message"}}` and exits 1.
struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read the barcodes (EAN/UPC) and the printed text in a photo."
    )

    @Argument(help: "A PNG, JPEG, WebP or TIFF image, or '-' for stdin.")
    var image: String

    @Option(help: "Language of the text: a tag such as de or de-DE, or a Tesseract code (default: --photo-text-language).")
    var language: String?

    @Option(help: "Largest image in pixels, width × height (LENS_GPT_MAX_PIXELS, default 100000000).")
    var maxPixels: String?

    @Option(help: "Largest file read, e.g. 20MiB (LENS_GPT_MAX_UPLOAD, default 20MiB).")
    var maxBytes: String?

    @OptionGroup var photo: PhotoReadingOptions

    func run() throws {
        let limits = try photo.limits(maxPixels: maxPixels) ?? PhotoReadingLimits()
        let byteLimit = try Setting.bytes(maxBytes, env: "LENS_GPT_MAX_UPLOAD", default: 20 << 20)
        do {
            let bytes = try InputFile.read(image, maxBytes: byteLimit,
                                           tooLarge: PhotoReadingError(code: "too_large", message: "the file is larger than \(byteLimit) bytes"))
            let (barcodes, text) = try PhotoReader(limits: limits).read(bytes, language: language ?? photo.language)
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
        } catch let error as PhotoReadingError {
            try fail(error.code, error.message)
        } catch let error as InputFile.Error {
            try fail("unreadable_file", error.message)
        }
    }

    private func fail(_ code: String, _ message: String) throws -> Never {
        print(JSONValue.object(["error": ["code": .string(code), "message": .string(message)]]).serialized())
        InputFile.writeToStandardError("lens-gpt read: \(image): \(message)\n")
        throw ExitCode(1)
    }
}
