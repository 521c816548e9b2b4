import CEpoll
import Glibc
import Synchronization
import SystemSupport

/// One loop per core, each on its own thread. Connections are spread over the loops by the
/// kernel (one SO_REUSEPORT listener per loop).
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let threads = Mutex<[pthread_t]>([])

    public init(count: Int) throws {
        loops = try (0..<max(1, count)).map { try EventLoop(index: $0) }
    }

    /// Starts every loop's thread. Register listeners before this (or from the loop through
    /// `execute`): registrations are confined to the loop's thread once it runs.
    public func start() throws {
        for loop in loops {
            // Loop threads are long-lived OS threads of their own, not Dispatch or Swift concurrency workers.
            let name = "loop-\(loop.index)"
            let thread: pthread_t
            do {
                thread = try SystemThread.start {
                    name.withCString { cepoll_set_thread_name($0) }
                    loop.run()
                }
            } catch {
                throw SystemError("pthread_create", errno: error.code)
            }
            threads.withLock { $0.append(thread) }
        }
    }

    /// Stops every loop and waits for its thread to end.
    public func shutdown() {
        for loop in loops { loop.stop() }
        let joined = threads.withLock { t -> [pthread_t] in
            let all = t
            t.removeAll()
            return all
        }
        for thread in joined { pthread_join(thread, nil) }
    }
}
