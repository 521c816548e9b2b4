#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts an OS thread running a Swift closure: for work that must own a thread for a long
/// time (an event loop, a blocking page read) rather than borrow one from Dispatch's shared pool.
public enum SystemThread {
    public struct StartError: Error, Sendable, CustomStringConvertible {
        /// `pthread_create`'s result (EAGAIN: no thread to be had).
        public let code: Int32
        public var description: String { "pthread_create: \(String(cString: strerror(code)))" }
    }

    /// Starts `body` on a new thread that someone will `pthread_join`.
    public static func start(_ body: @escaping @Sendable () -> Void) throws(StartError) -> pthread_t {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw StartError(code: result)
        }
        return thread
    }

    /// Starts `body` on a new thread nobody joins (its resources go when it returns).
    public static func startDetached(_ body: @escaping @Sendable () -> Void) throws(StartError) {
        pthread_detach(try start(body))
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
