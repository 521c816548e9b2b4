/// A request's id, `<instance>-<loop>-<n>`: sent as `X-Request-Id` and logged. Kept as its
/// parts and written as bytes, because every response carries it and few ever need the text.
public struct RequestID: Sendable {
    /// `<instance>-<loop>-`, the same for every request of a loop.
    public let prefix: String
    public let number: UInt64

    public init(prefix: String, number: UInt64) {
        self.prefix = prefix
        self.number = number
    }

    public var text: String { prefix + String(number) }

    public func append(to out: inout [UInt8]) {
        out.append(contentsOf: prefix.utf8)
        ASCIIDecimal.append(Int(truncatingIfNeeded: number), to: &out)
    }
}
