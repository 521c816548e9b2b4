import CEpoll
import Glibc
import Synchronization

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
            let thread = try ThreadStarter.spawn(name: "loop-\(loop.index)") { loop.run() }
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

/// Starts a detached-from-Swift pthread running a closure; used for loop threads, which must
/// be long-lived OS threads rather than Dispatch or Swift concurrency workers.
enum ThreadStarter {
    final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws -> pthread_t {
        let box = Unmanaged.passRetained(Box {
            name.withCString { cepoll_set_thread_name($0) }
            body()
        }).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError("pthread_create", errno: result)
        }
        return thread
    }
}
