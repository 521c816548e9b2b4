import EventLoop
import Synchronization

/// Bytes of an upload handed to its file: read-only once made, shared by the queue that writes
/// them and the one that hashes them; the second to finish releases them from the backlog.
final class UploadChunk: Sendable {
    private enum Storage {
        case copy([UInt8])
        /// A slice of a read buffer the socket was read into, kept rather than copied.
        case kept(ReadBuffer, offset: Int)
    }

    private let storage: Storage
    let count: Int
    private let holders = Atomic<Int>(2)

    init(copying source: UnsafeRawBufferPointer) {
        storage = .copy(Array(source))
        count = source.count
    }

    init(_ bytes: [UInt8]) {
        storage = .copy(bytes)
        count = bytes.count
    }

    /// `slice` of `buffer`, or nil if it does not lie within it.
    init?(keeping slice: UnsafeRawBufferPointer, of buffer: ReadBuffer) {
        guard let offset = buffer.offset(of: slice) else { return nil }
        storage = .kept(buffer, offset: offset)
        count = slice.count
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storage {
        case .copy(let bytes): return bytes.withUnsafeBytes(body)
        case .kept(let buffer, let offset): return body(buffer.bytes(at: offset, count: count))
        }
    }

    /// One holder is done; true for the last one.
    func release() -> Bool {
        holders.subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }
}
