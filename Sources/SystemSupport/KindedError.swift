/// An error of one kind out of a closed set (an enum a caller switches on) with words for people,
/// printed as `kind: message`: the shape the outbound HTTP client's and the chat client's errors
/// share. What a kind means beyond that (retryable or not) lives beside its enum.
public struct KindedError<Kind: RawRepresentable & Sendable & Equatable>: Error, Sendable, Equatable, CustomStringConvertible
    where Kind.RawValue == String
{
    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
