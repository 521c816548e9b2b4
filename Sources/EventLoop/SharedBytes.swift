/// Immutable bytes that many write queues may point to at once: a frame encoded once and sent
/// to many connections is queued by reference, not copied per connection. The storage is
/// allocated by hand so that its address is stable for `writev`, and it is freed only when the
/// last queue (or owner) lets go of the object. Confined to the loop that made it.
public final class SharedBytes {
    let storage: UnsafeMutableRawBufferPointer

    /// `parts` laid end to end.
    public init(_ parts: [UInt8]...) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: parts.reduce(0) { $0 + $1.count }, alignment: 1)
        var offset = 0
        for part in parts {
            part.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: storage[offset...]).copyMemory(from: $0) }
            offset += part.count
        }
    }

    deinit { storage.deallocate() }

    public var count: Int { storage.count }

    /// The bytes in `range` as an array (for tests and for paths that must copy anyway).
    public subscript(range: Range<Int>) -> [UInt8] { Array(storage[range]) }

    /// The bytes in `range`, valid during `body`.
    public func withUnsafeBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[range]))
    }
}
