/// A binary min-heap of deadlines. Cancelling marks an entry dead; it is dropped when it
/// reaches the top (lazy deletion keeps cancel O(1): subscriptions and connections whose
/// deadline comes earlier re-arm their timers often).
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var callbacks: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    var isEmpty: Bool { callbacks.isEmpty }
    var count: Int { callbacks.count }

    mutating func schedule(at deadline: UInt64, _ callback: @escaping () -> Void) -> UInt64 {
        let id = nextID
        nextID += 1
        callbacks[id] = callback
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return id
    }

    mutating func cancel(_ id: UInt64) {
        callbacks[id] = nil
        // Keep the heap from filling with dead entries when timers are re-armed constantly.
        if heap.count > 64 && heap.count > callbacks.count * 4 { rebuild() }
    }

    /// The earliest live deadline, if any.
    mutating func nextDeadline() -> UInt64? {
        while let top = heap.first {
            if callbacks[top.id] != nil { return top.deadline }
            popTop()
        }
        return nil
    }

    /// The id the next scheduled timer gets: timers scheduled from now on have ids at or above it.
    var idWatermark: UInt64 { nextID }

    /// Removes and returns one live callback whose deadline is at or before `now` and whose id is
    /// below `idLimit`, or nil. One at a time, so that a callback that cancels another timer due
    /// in the same turn (a write timeout closing a connection whose idle timer is also due)
    /// really stops it; `idLimit` keeps timers scheduled by those callbacks for the next turn.
    mutating func popExpired(now: UInt64, idLimit: UInt64) -> (() -> Void)? {
        while let top = heap.first, top.deadline <= now, top.id < idLimit {
            popTop()
            if let callback = callbacks.removeValue(forKey: top.id) { return callback }
        }
        return nil
    }

    private mutating func rebuild() {
        heap.removeAll { callbacks[$0.id] == nil }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
