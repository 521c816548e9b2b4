import Dispatch
import Synchronization

/// The memory photo reading may hold across the process. A decode reserves what it is
/// estimated to take before it starts; while others hold the budget it waits its turn (first
/// come, first served) up to a deadline and is then refused, so twenty decompression bombs
/// at once queue instead of taking the machine's memory. A small reservation (an ordinary
/// photo's, at most `smallShare` of the budget) that fits goes past those waiting: it does not
/// wait seconds behind bombs for memory it can have now, and the large ones it passes lose
/// at most that share for as long as it holds it.
public final class PhotoMemoryBudget: Sendable {
    /// The one budget every reader in the process shares (tests make their own).
    public static let shared = PhotoMemoryBudget()

    private struct Waiter {
        let id: UInt64
        let bytes: Int
        let wake: DispatchSemaphore
    }

    private struct State {
        var inUse = 0
        var queue: [Waiter] = []
        var granted: Set<UInt64> = []
        var nextID: UInt64 = 0

        /// Grants waiters from the front while they fit, and small ones further back that fit.
        mutating func grant(limit: Int) {
            var index = 0
            while index < queue.count {
                let waiter = queue[index]
                let mayGo = index == 0 || PhotoMemoryBudget.isSmall(waiter.bytes, of: limit)
                if mayGo && inUse + waiter.bytes <= limit {
                    queue.remove(at: index)
                    inUse += waiter.bytes
                    granted.insert(waiter.id)
                    waiter.wake.signal()
                } else {
                    index += 1
                }
            }
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Bytes reserved now.
    public var inUse: Int { state.withLock { $0.inUse } }

    /// Photos waiting now.
    public var waiting: Int { state.withLock { $0.queue.count } }

    /// Reserves `bytes` of `limit`, waiting until `deadline` while others hold it.
    public func reserve(_ bytes: Int, of limit: Int, waitingUntil deadline: ContinuousClock.Instant) throws(PhotoReadingError)
        -> PhotoMemoryReservation
    {
        let bytes = max(0, bytes)
        guard bytes <= limit else { throw .overBudget(needs: bytes, budget: limit) }
        let wake = DispatchSemaphore(value: 0)
        let id: UInt64? = state.withLock { s in
            if (s.queue.isEmpty || PhotoMemoryBudget.isSmall(bytes, of: limit)) && s.inUse + bytes <= limit {
                s.inUse += bytes
                return nil
            }
            s.nextID += 1
            s.queue.append(Waiter(id: s.nextID, bytes: bytes, wake: wake))
            return s.nextID
        }
        guard let id else { return PhotoMemoryReservation(budget: self, limit: limit, bytes: bytes) }
        let left = ContinuousClock.now.duration(to: deadline).components
        let millis = max(0, min(left.seconds, 86_400) * 1000 + left.attoseconds / 1_000_000_000_000_000)
        _ = wake.wait(timeout: .now() + .milliseconds(Int(millis)))
        let granted: Bool = state.withLock { s in
            // Granted, possibly just as the wait ran out: the reservation is ours either way.
            if s.granted.remove(id) != nil { return true }
            s.queue.removeAll { $0.id == id }
            // Those behind may fit now that this one leaves the front.
            s.grant(limit: limit)
            return false
        }
        guard granted else { throw .busy(needs: bytes, budget: limit) }
        return PhotoMemoryReservation(budget: self, limit: limit, bytes: bytes)
    }

    fileprivate func give(back bytes: Int, limit: Int) {
        state.withLock { s in
            s.inUse -= bytes
            s.grant(limit: limit)
        }
    }

    /// What may go past larger reservations that wait.
    static let smallShare = 8
    static func isSmall(_ bytes: Int, of limit: Int) -> Bool { bytes <= limit / smallShare }

    /// "12.5 MiB", for messages.
    static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}

/// Bytes held in a `PhotoMemoryBudget`, given back when released (at the latest when freed).
public final class PhotoMemoryReservation: Sendable {
    private let budget: PhotoMemoryBudget
    private let limit: Int
    private let held: Mutex<Int>

    fileprivate init(budget: PhotoMemoryBudget, limit: Int, bytes: Int) {
        self.budget = budget
        self.limit = limit
        held = Mutex(bytes)
    }

    deinit { release() }

    public var bytes: Int { held.withLock { $0 } }

    /// Keeps at most `bytes` (what a decode holds once its working buffers are freed).
    public func shrink(to bytes: Int) {
        let freed = held.withLock { held -> Int in
            let freed = max(0, held - max(0, bytes))
            held -= freed
            return freed
        }
        if freed > 0 { budget.give(back: freed, limit: limit) }
    }

    public func release() { shrink(to: 0) }
}
