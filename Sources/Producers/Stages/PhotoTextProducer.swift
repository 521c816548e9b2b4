import JSON
import PhotoReading
import Pipeline

/// `photo-text`: printed text on the product (labels, model numbers, brand names) read with
/// Tesseract, in the request's language where its data is installed.
public struct PhotoTextProducer: KeyedProducer {
    public static let key = StageKey<PhotoText>("photo-text")
    let reader: TextReader
    /// The language to read with when the request names none (a BCP 47 tag or Tesseract code).
    let language: String?

    /// The photo decoded once for this stage and `barcodes`; nil: decoded here alone.
    let copies: PhotoCopies?

    public init(limits: PhotoReadingLimits, language: String? = nil, copies: PhotoCopies? = nil) {
        reader = TextReader(limits: limits)
        self.language = language
        self.copies = copies
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> PhotoText {
        let bytes = try PhotoFile.read(inputs, context)
        let text: PhotoText
        do {
            // The request's language where its data is installed (English joins it); a configured
            // language other than English takes over when the request's is English or unknown.
            let requested = context.image.locale.language
            let wanted = language.map { configured in requested.lowercased().hasPrefix("en") ? configured : requested } ?? requested
            let timeout = min(reader.limits.textTimeoutMillis, max(1, context.remainingMillis - 250))
            if let copies {
                let photo = try copies.copy(for: .text, key: context.image.path, bytes: bytes,
                                            deadline: .now + .milliseconds(max(0, context.remainingMillis - 250)))
                text = try reader.read(photo, language: wanted, timeoutMillis: timeout)
            } else {
                text = try reader.read(bytes, language: wanted, timeoutMillis: timeout)
            }
        } catch {
            throw StageError(code: error.code, message: error.message, retryable: error.retryable)
        }
        context.emit(stage, text.json)
        return text
    }
}
