import Dispatch
import Glibc

/// A few threads of our own for blocking page reads, so a stage's parallel reads never wait
/// for Dispatch to grow its shared pool (which other blocked work may have exhausted).
enum ReaderThreads {
    /// Runs `body` on `count` new detached threads; `done` is signalled as each returns.
    static func start(_ count: Int, done: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        for _ in 0..<count {
            done.enter()
            let box = Unmanaged.passRetained(Job(body: body, done: done)).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
                job.body()
                job.done.leave()
                return nil
            }, box) == 0 {
                pthread_detach(thread)
            } else {
                // No thread to be had: run here rather than lose the work.
                let job = Unmanaged<Job>.fromOpaque(box).takeRetainedValue()
                job.body()
                job.done.leave()
            }
        }
    }

    private final class Job: Sendable {
        let body: @Sendable () -> Void
        let done: DispatchGroup
        init(body: @escaping @Sendable () -> Void, done: DispatchGroup) {
            self.body = body
            self.done = done
        }
    }
}
