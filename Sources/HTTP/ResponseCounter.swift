import Synchronization

/// Responses by status code for `/metrics`, counted per loop: a loop's count is its own lock and
/// cache line, so loops never contend on the request path; a scrape adds the loops up.
public final class ResponseCounter: Sendable {
    private let loops: [LoopResponseCounts]

    init(loopCount: Int) {
        loops = (0..<max(1, loopCount)).map { _ in LoopResponseCounts() }
    }

    /// The counts of loop `index`, for that loop's connections to count into directly: the
    /// request path touches nothing the other loops write, not even this object's reference count.
    func counts(forLoop index: Int) -> LoopResponseCounts {
        loops[index % loops.count]
    }

    /// Responses so far by status code; 0 counts requests the client left before any status.
    public var byStatus: [Int: Int] {
        var total: [Int: Int] = [:]
        for loop in loops {
            for (status, count) in loop.snapshot().enumerated() where count > 0 {
                total[status, default: 0] += count
            }
        }
        return total
    }
}

final class LoopResponseCounts: Sendable {
    /// Indexed by status code (0, and 100...599).
    private let counts = Mutex<[Int]>(Array(repeating: 0, count: 600))
    /// Keeps two loops' locks off one cache line (the objects may be allocated side by side).
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    func count(_ status: Int) {
        counts.withLock { counts in
            if counts.indices.contains(status) { counts[status] += 1 }
        }
    }

    func snapshot() -> [Int] { counts.withLock { $0 } }
}
