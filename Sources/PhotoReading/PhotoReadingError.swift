/// Why a photo could not be read, with a code a client can act on.
public struct PhotoReadingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `unreadable_image`, `too_many_pixels`, `text_reader_unavailable`.
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static func unreadable(_ why: String) -> PhotoReadingError {
        PhotoReadingError(code: "unreadable_image", message: why)
    }
}
