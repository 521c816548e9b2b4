/// Why a multipart/form-data body was refused; the server answers 400 with `message`.
public struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Bounds on everything a multipart body could make the parser hold (part bodies are never held).
public struct MultipartLimits: Sendable {
    public var maxPartHeaderBytes: Int
    public var maxHeadersPerPart: Int
    public var maxParts: Int

    public init(maxPartHeaderBytes: Int = 8 * 1024, maxHeadersPerPart: Int = 16, maxParts: Int = 32) {
        self.maxPartHeaderBytes = maxPartHeaderBytes
        self.maxHeadersPerPart = maxHeadersPerPart
        self.maxParts = maxParts
    }
}
