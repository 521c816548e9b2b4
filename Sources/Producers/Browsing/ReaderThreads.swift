import Dispatch
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
}
