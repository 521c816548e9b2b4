import CEpoll
import Glibc

/// Bytes the kernel has not taken yet, written with one `writev` per turn for up to 64 pieces.
/// A piece is either a copy the queue owns or a range of `SharedBytes` it points to (a frame
/// sent to many connections is queued by reference); either way its address is stable for the
/// iovecs, and the piece holds its storage alive until the kernel has taken all of it.
struct WriteQueue {
    private final class Copy {
        let bytes: UnsafeMutableRawBufferPointer
        init(copying source: UnsafeRawBufferPointer) {
            bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 1)
            bytes.copyMemory(from: source)
        }
        deinit { bytes.deallocate() }
    }

    private struct Piece {
        /// Keeps `bytes` alive: a `Copy` or a `SharedBytes`.
        let owner: AnyObject
        let bytes: UnsafeRawBufferPointer
    }

    /// Pieces before `head` are written; they are dropped in batches, not one shift per piece.
    private var pieces: [Piece] = []
    private var head = 0
    private var headOffset = 0
    private(set) var byteCount = 0
    static let iovecsPerWrite = 64

    var isEmpty: Bool { head == pieces.count }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let copy = Copy(copying: bytes)
        pieces.append(Piece(owner: copy, bytes: UnsafeRawBufferPointer(copy.bytes)))
        byteCount += bytes.count
    }

    /// Queues `range` of `shared` without copying it.
    mutating func append(shared: SharedBytes, range: Range<Int>) {
        guard !range.isEmpty else { return }
        pieces.append(Piece(owner: shared, bytes: UnsafeRawBufferPointer(rebasing: shared.storage[range])))
        byteCount += range.count
    }

    mutating func removeAll() {
        pieces.removeAll()
        head = 0
        headOffset = 0
        byteCount = 0
    }

    enum FlushResult { case drained, wouldBlock, failed }

    /// Writes as much as the socket takes.
    mutating func flush(to fd: Int32) -> FlushResult {
        withUnsafeTemporaryAllocation(of: iovec.self, capacity: Self.iovecsPerWrite) { iovecs in
            while !isEmpty {
                let count = min(pieces.count - head, iovecs.count)
                for i in 0..<count {
                    let skip = i == 0 ? headOffset : 0
                    let bytes = pieces[head + i].bytes
                    iovecs[i] = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress.map { $0 + skip }),
                                      iov_len: bytes.count - skip)
                }
                let written = cepoll_writev(fd, iovecs.baseAddress, Int32(count))
                if written < 0 {
                    let error = cepoll_errno()
                    if error == EINTR { continue }
                    return (error == EAGAIN || error == EWOULDBLOCK) ? .wouldBlock : .failed
                }
                consume(written)
            }
            return .drained
        }
    }

    private mutating func consume(_ count: Int) {
        byteCount -= count
        var cursor = SendCursor(index: head, offset: headOffset)
        do {  // a second reference to the array only for this, so the removal below does not copy it
            let list = pieces
            cursor.advance(by: count, pieces: list.count) { list[$0].bytes.count }
        }
        (head, headOffset) = (cursor.index, cursor.offset)
        if head == pieces.count {
            pieces.removeAll(keepingCapacity: pieces.capacity <= 64)
            head = 0
        } else if head >= 32 && head * 2 >= pieces.count {
            pieces.removeFirst(head)  // written pieces release their storage now, not at the end
            head = 0
        }
    }
}
