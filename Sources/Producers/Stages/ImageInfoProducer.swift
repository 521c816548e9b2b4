import Glibc
import Imaging
import JSON
import Pipeline
import SystemSupport

/// `image-info`: format, pixel size, byte count and SHA-256 of the uploaded photo, read from
/// the stored file itself (not from what the client declared).
public struct ImageInfoProducer: KeyedProducer {
    public static let key = StageKey<Output>("image-info")

    public init() {}

    /// What dependants receive.
    public struct Output: Sendable, Equatable {
        public let sha256: String
        public let format: ImageFormat
        public let width: Int
        public let height: Int
        public let bytes: Int
    }

    public func run(_ inputs: StageInputs, _ context: StageContext) throws -> Output {
        let head = try readHead(context.image.path, count: ImageHeader.sniffLength)
        guard let header = ImageHeader.parse(head) else {
            throw StageError(code: "unsupported_image", message: "the upload is not a readable PNG, JPEG or WebP image")
        }
        let output = Output(sha256: context.image.digest, format: header.format, width: header.width,
                            height: header.height, bytes: context.image.bytes)
        context.emit(stage, [
            "sha256": .string(output.sha256),
            "format": .string(output.format.rawValue),
            "width": .int(output.width),
            "height": .int(output.height),
            "bytes": .int(output.bytes),
            // Which locale the result answers for (the same photo has one result per locale).
            "country": .string(context.image.locale.country),
            "language": .string(context.image.locale.language),
        ])
        return output
    }

    private func readHead(_ path: String, count: Int) throws -> [UInt8] {
        guard case .success(let head) = BoundedFile.readPrefix(path, count: count) else {
            throw StageError(code: "image_missing", message: "the uploaded image is no longer on disk")
        }
        return head
    }
}
