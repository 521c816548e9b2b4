/// Memory a stream reads into that its delegate may keep after the read
/// (`TCPStream.keepReadBuffer`): received bytes handed to another thread without being copied.
/// The stream writes into it only until it is kept; from then on it is only read, and its
/// memory goes back to `ReadBufferPool` with its last reference.
public final class ReadBuffer: @unchecked Sendable {  // one raw allocation: written on its loop before the hand-off, read-only after
    let storage: UnsafeMutableRawBufferPointer

    init(capacity: Int) {
        storage = ReadBufferPool.shared.take(capacity)
    }

    deinit { ReadBufferPool.shared.give(storage) }

    public var capacity: Int { storage.count }

    /// The bytes from `offset`, `count` long (within the buffer: see `offset(of:)`).
    public func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[offset ..< offset + count])
    }

    /// Where `slice` starts in this buffer, if it lies wholly within it.
    public func offset(of slice: UnsafeRawBufferPointer) -> Int? {
        guard let base = storage.baseAddress, let start = slice.baseAddress else { return nil }
        let offset = UnsafeRawPointer(base).distance(to: start)
        guard offset >= 0, offset + slice.count <= storage.count else { return nil }
        return offset
    }
}
