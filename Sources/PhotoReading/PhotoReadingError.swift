import SystemSupport

/// Why a photo could not be read, with a code a client can act on.
public struct PhotoReadingError: CodedError {
    /// `unreadable_image`, `too_many_pixels`, `photo_busy`, `photo_too_costly`, `text_reader_unavailable`.
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The same photo may be read a moment later (the memory budget was busy).
    public var retryable: Bool { code == "photo_busy" }

    static func unreadable(_ why: String) -> PhotoReadingError {
        PhotoReadingError(code: "unreadable_image", message: why)
    }
}

extension PhotoReadingError {
    /// Others' photos hold the memory budget and did not free enough within the wait.
    static func busy(needs bytes: Int, budget: Int) -> PhotoReadingError {
        PhotoReadingError(code: "photo_busy",
                          message: "reading photos already holds the memory this one needs (\(PhotoMemoryBudget.mebibytes(bytes)) of \(PhotoMemoryBudget.mebibytes(budget))); try again shortly")
    }

    /// The photo alone needs more than the whole budget: it is never decoded.
    static func overBudget(needs bytes: Int, budget: Int) -> PhotoReadingError {
        PhotoReadingError(code: "photo_too_costly",
                          message: "decoding this image needs \(PhotoMemoryBudget.mebibytes(bytes)), more than the photo memory budget of \(PhotoMemoryBudget.mebibytes(budget))")
    }
}
