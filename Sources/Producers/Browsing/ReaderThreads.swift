import Dispatch
import Synchronization
import SystemSupport

/// A few threads of our own for blocking page reads, so a stage's parallel reads never wait
/// for Dispatch to grow its shared pool (which other blocked work may have exhausted).
enum ReaderThreads {
    /// Runs `body` on `count` new detached threads; `done` is signalled as each returns.
    static func start(_ count: Int, done: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        for _ in 0..<count {
            done.enter()
            let job: @Sendable () -> Void = {
                body()
                done.leave()
            }
            do {
                try SystemThread.startDetached(job)
            } catch {
                // No thread to be had: run here rather than lose the work.
                job()
            }
        }
    }

    /// `body(0) … body(count - 1)` at once, one thread each, the answers in index order. A call
    /// still running at `until` (monotonic milliseconds) is nil; its answer is dropped when it comes.
    /// One call runs on the caller's thread.
    static func map<T: Sendable>(_ count: Int, until: Int, _ body: @escaping @Sendable (Int) -> T) -> [T?] {
        guard count > 1 else { return count == 1 ? [body(0)] : [] }
        let answers = Mutex<(closed: Bool, values: [T?])>((false, Array(repeating: nil, count: count)))
        let next = Atomic(0)
        let group = DispatchGroup()
        start(count, done: group) {
            let index = next.add(1, ordering: .relaxed).oldValue
            let answer = body(index)
            answers.withLock { if !$0.closed { $0.values[index] = answer } }
        }
        _ = group.wait(timeout: .now() + .milliseconds(max(0, until - Clock.millis())))
        return answers.withLock { s in
            s.closed = true
            return s.values
        }
    }
}
