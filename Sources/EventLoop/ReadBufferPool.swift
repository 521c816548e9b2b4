import Synchronization

/// Spare memory for read buffers, reused instead of going back to malloc. A kept buffer is made
/// on a loop thread and freed on whichever queue is done with it last; left to malloc, that
/// pattern fragments the loop's arena (small allocations settle in the freed space), and peak
/// memory grew by about 150 KiB with every upload. At most `limit` spares are held.
final class ReadBufferPool: Sendable {
    static let shared = ReadBufferPool(limit: 16)  // 4 MiB of 256 KiB buffers at most

    private let limit: Int
    /// Addresses and sizes of free allocations (addresses as integers: they cross threads).
    private let spares = Mutex<[(address: Int, capacity: Int)]>([])

    init(limit: Int) { self.limit = limit }

    var spareCount: Int { spares.withLock { $0.count } }

    func take(_ capacity: Int) -> UnsafeMutableRawBufferPointer {
        let address = spares.withLock { list -> Int? in
            guard let index = list.lastIndex(where: { $0.capacity == capacity }) else { return nil }
            return list.remove(at: index).address
        }
        if let address, let base = UnsafeMutableRawPointer(bitPattern: address) {
            return UnsafeMutableRawBufferPointer(start: base, count: capacity)
        }
        return UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    func give(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        let kept = spares.withLock { list -> Bool in
            guard list.count < limit else { return false }
            list.append((Int(bitPattern: base), buffer.count))
            return true
        }
        if !kept { buffer.deallocate() }
    }
}
