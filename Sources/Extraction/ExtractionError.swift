/// Why a page could not be read. `code` is stable for callers to act on; `message` is for people.
public struct ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case inputTooLarge = "input_too_large"
        case binaryInput = "binary_input"
        case invalidGzip = "invalid_gzip"
        case unparsableHTML = "unparsable_html"
    }

    public let code: Code
    public let message: String
    public var description: String { message }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func tooLarge(_ limit: Int) -> ExtractionError {
        ExtractionError(.inputTooLarge, "input is larger than the \(ExtractionLimits.describe(bytes: limit)) limit")
    }
}
