import Dispatch
import Synchronization

/// A bounded pool on Dispatch: at most `workers` tasks run at once; the rest wait in FIFO order.
/// Admission of new runs looks at `waiting` so that overload turns into 503s, not a growing queue.
public final class WorkerPool: Sendable {
    public let workers: Int
    /// Tasks that may wait for a worker before new runs are refused.
    public let queueLimit: Int
    private let queue = DispatchQueue(label: "lens-gpt.workers", attributes: .concurrent)
    private struct State {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
        var waitingHead = 0
    }
    private let state = Mutex(State())

    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
    }

    /// Tasks waiting for a worker.
    public var waiting: Int { state.withLock { $0.waiting.count - $0.waitingHead } }
    public var running: Int { state.withLock { $0.running } }
    /// Whether a new run may be admitted.
    public var acceptsNewWork: Bool { waiting < queueLimit || queueLimit == 0 && running < workers }

    public func submit(_ task: @escaping @Sendable () -> Void) {
        let start = state.withLock { s -> Bool in
            if s.running < workers {
                s.running += 1
                return true
            }
            s.waiting.append(task)
            return false
        }
        if start { queue.async { self.drain(first: task) } }
    }

    private func drain(first: @escaping @Sendable () -> Void) {
        var next: (@Sendable () -> Void)? = first
        while let task = next {
            task()
            next = state.withLock { s -> (@Sendable () -> Void)? in
                guard s.waitingHead < s.waiting.count else {
                    s.waiting.removeAll(keepingCapacity: true)
                    s.waitingHead = 0
                    s.running -= 1
                    return nil
                }
                let task = s.waiting[s.waitingHead]
                s.waitingHead += 1
                if s.waitingHead > 1024 {
                    s.waiting.removeFirst(s.waitingHead)
                    s.waitingHead = 0
                }
                return task
            }
        }
    }
}
