/// An error as a value: `code` is stable and meant for programs, logs and metrics; `message`
/// is for people. Printed as `code: message`.
public protocol CodedError: Error, Sendable, Equatable, CustomStringConvertible {
    var code: String { get }
    var message: String { get }
}

extension CodedError {
    public var description: String { "\(code): \(message)" }
}
