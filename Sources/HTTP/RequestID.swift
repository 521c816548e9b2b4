/// A request's id, `<instance>-<loop>-<n>`: sent as `X-Request-Id` and logged. Kept as its
/// parts and written as bytes, because every response carries it and few ever need the text.
struct RequestID {
    /// `<instance>-<loop>-`, the same for every request of a loop.
    let prefix: String
    let number: UInt64

    var text: String { prefix + String(number) }

    func append(to out: inout [UInt8]) {
        out.append(contentsOf: prefix.utf8)
        ASCIIDecimal.append(Int(truncatingIfNeeded: number), to: &out)
    }
}
