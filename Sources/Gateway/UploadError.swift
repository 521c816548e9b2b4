import HTTP

/// Why an upload was refused, with the status and code the client gets. Public so that the
/// command line refuses the same file with the same code and words (`classify`, `read`).
public enum UploadError: Error {
    case tooLarge(limit: Int)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case unsupportedType
    case empty
    case noFile
    case malformed(String)
    case storage(String)
    /// A `country` or `language` that is not a two-letter country or a language tag.
    case badLocale(String)

    public var response: HTTPResponse {
        switch self {
        case .tooLarge(let limit):
            return .error(.contentTooLarge, code: "upload_too_large",
                          message: "the image is larger than the \(ByteSize.describe(limit)) limit")
        case .tooManyPixels(let width, let height, let limit):
            return .error(.contentTooLarge, code: "image_too_large",
                          message: "the image is \(width) × \(height) pixels, more than the limit of \(limit) pixels")
        case .unsupportedType:
            return .error(.unsupportedMediaType, code: "unsupported_media_type",
                          message: "the file is not a PNG, JPEG or WebP image (checked by its bytes)")
        case .empty:
            return .error(.badRequest, code: "empty_file", message: "the file is empty")
        case .noFile:
            return .error(.badRequest, code: "no_file",
                          message: "no image found: send multipart/form-data with the image in field \"file\", or the raw image bytes")
        case .malformed(let detail):
            return .error(.badRequest, code: "malformed_upload", message: detail)
        case .badLocale(let detail):
            return .error(.badRequest, code: "bad_request", message: detail)
        case .storage(let detail):
            return .error(.insufficientStorage, code: "storage_unavailable", message: "the upload could not be stored: \(detail)")
        }
    }
}

enum ByteSize {
    static func describe(_ bytes: Int) -> String {
        if bytes % (1024 * 1024) == 0 { return "\(bytes / (1024 * 1024)) MiB" }
        if bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }
}
