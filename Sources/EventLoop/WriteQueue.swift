import CEpoll
import Glibc

/// Bytes the kernel has not taken yet, written with one `writev` per turn for up to 16 chunks.
/// Chunks own manually allocated memory so their addresses are stable for the iovecs.
struct WriteQueue {
    private final class Chunk {
        let bytes: UnsafeMutableRawBufferPointer
        init(copying source: UnsafeRawBufferPointer) {
            bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 1)
            bytes.copyMemory(from: source)
        }
        deinit { bytes.deallocate() }
    }

    private var chunks: [Chunk] = []
    private var headOffset = 0
    private(set) var byteCount = 0

    var isEmpty: Bool { chunks.isEmpty }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        chunks.append(Chunk(copying: bytes))
        byteCount += bytes.count
    }

    mutating func removeAll() {
        chunks.removeAll()
        headOffset = 0
        byteCount = 0
    }

    enum FlushResult { case drained, wouldBlock, failed }

    /// Writes as much as the socket takes.
    mutating func flush(to fd: Int32) -> FlushResult {
        var iovecs = [iovec](repeating: iovec(), count: 16)
        while !chunks.isEmpty {
            let count = min(chunks.count, iovecs.count)
            for i in 0..<count {
                let skip = i == 0 ? headOffset : 0
                let chunk = chunks[i].bytes
                iovecs[i] = iovec(iov_base: chunk.baseAddress.map { $0 + skip }, iov_len: chunk.count - skip)
            }
            let written = iovecs.withUnsafeBufferPointer { cepoll_writev(fd, $0.baseAddress, Int32(count)) }
            if written < 0 {
                let error = cepoll_errno()
                if error == EINTR { continue }
                return (error == EAGAIN || error == EWOULDBLOCK) ? .wouldBlock : .failed
            }
            consume(written)
        }
        return .drained
    }

    private mutating func consume(_ count: Int) {
        var remaining = count
        byteCount -= count
        while remaining > 0, let head = chunks.first {
            let available = head.bytes.count - headOffset
            if remaining >= available {
                remaining -= available
                chunks.removeFirst()
                headOffset = 0
            } else {
                headOffset += remaining
                remaining = 0
            }
        }
    }
}
