import JSON
import PhotoReading
import Pipeline

/// `barcodes`: the EAN/UPC barcodes printed on the product, read from the photo itself (ZBar),
/// check digits verified. Needs no one else's service; runs beside the visual search.
public struct BarcodesProducer: KeyedProducer {
    public static let key = StageKey<[Barcode]>("barcodes")
    let reader: BarcodeReader
    /// The photo decoded once for this stage and `photo-text`; nil: decoded here alone.
    let copies: PhotoCopies?

    public init(limits: PhotoReadingLimits, copies: PhotoCopies? = nil) {
        reader = BarcodeReader(limits: limits)
        self.copies = copies
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> [Barcode] {
        let bytes = try PhotoFile.read(inputs, context)
        // Stop starting retry passes a little before the stage's own limit.
        let deadline = ContinuousClock.now + .milliseconds(max(0, context.remainingMillis - 250))
        let found: [Barcode]
        do {
            if let copies {
                found = reader.read(try copies.copy(for: .barcodes, key: context.image.path, bytes: bytes, deadline: deadline), deadline: deadline)
            } else {
                found = try reader.read(bytes, deadline: deadline)
            }
        } catch {
            throw StageError(code: error.code, message: error.message, retryable: error.retryable)
        }
        context.emit(stage, .array(found.map(\.json)))
        return found
    }
}

/// The uploaded photo's bytes, as `image-info` measured them.
enum PhotoFile {
    static func read(_ inputs: StageInputs, _ context: StageContext) throws -> [UInt8] {
        let info = try inputs.get(ImageInfoProducer.key)
        guard let bytes = LensProfile.readFile(context.image.path, limit: max(info.bytes, 1) + 1) else {
            throw StageError(code: "image_missing", message: "the uploaded image is no longer on disk")
        }
        return bytes
    }
}
