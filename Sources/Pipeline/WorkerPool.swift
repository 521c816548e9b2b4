import Dispatch
import Synchronization

/// A bounded pool on Dispatch: at most `workers` tasks run at once; the rest wait.
/// Admission of new runs looks at `waiting` so that overload turns into 503s, not a growing queue.
///
/// Waiting tasks belong to a group (a run). When a worker frees, the next task comes from the
/// group that has had the least worker time so far, oldest first among equals; within a group
/// the order is FIFO. A plain FIFO let one client's expensive runs (ten 100-megapixel photos,
/// each with stages of seconds) hold every worker while a small run queued behind all their
/// stages; preferring the least-served run lets the small one through after the task it waits
/// for. A run's next stages are submitted from inside the task that finishes their dependency,
/// so its group, and the time it has had, lasts as long as the run.
public final class WorkerPool: Sendable {
    public typealias Task = @Sendable () -> Void

    public let workers: Int
    /// Tasks that may wait for a worker before new runs are refused.
    public let queueLimit: Int
    private let queue = DispatchQueue(label: "lens-gpt.workers", attributes: .concurrent)

    private struct Waiting {
        var order: UInt64
        var task: Task
    }
    private struct Group {
        var waiting: [Waiting] = []
        var head = 0
        var running = 0
        /// Worker time its finished tasks took.
        var servedNanos: UInt64 = 0
        var isIdle: Bool { running == 0 && head == waiting.count }
    }
    private struct State {
        var running = 0
        var waiting = 0
        var nextOrder: UInt64 = 0
        var groups: [String: Group] = [:]

        /// The group whose oldest waiting task goes next: least served, then oldest.
        func nextGroup() -> String? {
            var best: (key: String, served: UInt64, order: UInt64)?
            for (key, group) in groups where group.head < group.waiting.count {
                let order = group.waiting[group.head].order
                if let b = best, (b.served, b.order) <= (group.servedNanos, order) { continue }
                best = (key, group.servedNanos, order)
            }
            return best?.key
        }
    }
    private let state = Mutex(State())

    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
    }

    /// Tasks waiting for a worker.
    public var waiting: Int { state.withLock { $0.waiting } }
    public var running: Int { state.withLock { $0.running } }
    /// Whether a new run may be admitted.
    public var acceptsNewWork: Bool { waiting < queueLimit || queueLimit == 0 && running < workers }

    /// Runs `task` on a worker, now or when one frees. `group` names the run it belongs to.
    public func submit(group: String = "", _ task: @escaping Task) {
        let start = state.withLock { s -> Bool in
            var entry = s.groups[group] ?? Group()
            defer { s.groups[group] = entry }
            if s.running < workers {
                s.running += 1
                entry.running += 1
                return true
            }
            entry.waiting.append(Waiting(order: s.nextOrder, task: task))
            s.nextOrder &+= 1
            s.waiting += 1
            return false
        }
        if start { queue.async { self.drain(first: task, group: group) } }
    }

    private func drain(first: @escaping Task, group firstGroup: String) {
        var next: (task: Task, group: String)? = (first, firstGroup)
        while let (task, group) = next {
            let started = PipelineClock.nanos()
            task()
            let took = PipelineClock.nanos() &- started
            next = state.withLock { s -> (Task, String)? in
                if var done = s.groups[group] {
                    done.running -= 1
                    done.servedNanos &+= took
                    s.groups[group] = done.isIdle ? nil : done
                }
                guard let key = s.nextGroup(), var chosen = s.groups[key] else {
                    s.running -= 1
                    return nil
                }
                let task = chosen.waiting[chosen.head].task
                chosen.head += 1
                if chosen.head == chosen.waiting.count {
                    chosen.waiting.removeAll(keepingCapacity: true)
                    chosen.head = 0
                }
                chosen.running += 1
                s.groups[key] = chosen
                s.waiting -= 1
                return (task, key)
            }
        }
    }
}
