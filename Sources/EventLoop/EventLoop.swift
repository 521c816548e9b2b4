import CEpoll
import Glibc
import Synchronization
import SystemSupport

/// Something that owns a file descriptor registered with a loop.
public protocol EventHandler: AnyObject {
    /// Called on the loop thread with the epoll flags that fired.
    func handleEvents(_ events: UInt32)
}

/// One epoll loop on its own thread, in the manner of redis' `ae`: poll, run the handlers
/// for what fired, run due timers, run tasks posted from other threads.
///
/// Everything but `execute(_:)`, `stop()` and `isCurrent` is confined to the loop's thread.
public final class EventLoop: @unchecked Sendable {  // wraps the epoll/eventfd handles; state is loop-confined, `execute` goes through a Mutex
    public static let readable = UInt32(EPOLLIN.rawValue)
    public static let writable = UInt32(EPOLLOUT.rawValue)
    static let hangup = UInt32(EPOLLHUP.rawValue) | UInt32(EPOLLERR.rawValue)

    public let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private let pending = Mutex<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)
    private let running = Atomic<Bool>(true)
    private let threadID = Atomic<UInt>(0)

    private struct Registration {
        var generation: UInt32
        var handler: EventHandler
        var interest: UInt32
    }
    /// Indexed by descriptor (small integers, reused by the kernel): no hashing per event.
    private var registrations: [Registration?] = []
    public private(set) var registeredCount = 0
    private var generation: UInt32 = 0
    private var timers = TimerHeap()
    private var laterTasks: [() -> Void] = []
    private var locals: [ObjectIdentifier: AnyObject] = [:]
    /// Streams written to by the handler just run (or by this turn's timers and tasks), each sent
    /// once when it returns.
    private var streamsToFlush: [TCPStream] = []
    private var flushing: [TCPStream] = []
    /// `send`/`writev` calls made by this loop's streams (loop thread; tests count them).
    public internal(set) var sendCalls = 0

    /// A scratch buffer for socket reads, shared by every connection of this loop so an idle
    /// connection holds no read buffer of its own.
    let readBuffer: UnsafeMutableRawBufferPointer

    public init(index: Int = 0) throws {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SystemError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let error = SystemError("eventfd")
            Glibc.close(epollFD)
            throw error
        }
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        guard cepoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, EventLoop.readable, 0) == 0 else {
            throw SystemError("epoll_ctl(eventfd)")
        }
    }

    deinit {
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
        readBuffer.deallocate()
    }

    /// True when called on this loop's thread.
    public var isCurrent: Bool { threadID.load(ordering: .relaxed) == UInt(bitPattern: Int(bitPattern: pthread_self())) }

    // MARK: registration (loop thread)

    public func register(fd: Int32, interest: UInt32, handler: EventHandler) throws {
        generation &+= 1
        let token = UInt64(UInt32(bitPattern: fd)) | UInt64(generation) << 32
        guard fd >= 0 else { throw SystemError("epoll_ctl(add)", errno: EBADF) }
        guard cepoll_ctl(epollFD, EPOLL_CTL_ADD, fd, interest, token) == 0 else { throw SystemError("epoll_ctl(add)") }
        let index = Int(fd)
        if index >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: max(index + 1 - registrations.count, registrations.count)))
        }
        registrations[index] = Registration(generation: generation, handler: handler, interest: interest)
        registeredCount += 1
    }

    /// Changes what a registered descriptor is watched for; does nothing when unchanged.
    public func setInterest(fd: Int32, _ interest: UInt32) {
        let index = Int(fd)
        guard index >= 0, index < registrations.count, let registration = registrations[index],
              registration.interest != interest else { return }
        let token = UInt64(UInt32(bitPattern: fd)) | UInt64(registration.generation) << 32
        if cepoll_ctl(epollFD, EPOLL_CTL_MOD, fd, interest, token) == 0 {
            registrations[index]?.interest = interest
        }
    }

    public func deregister(fd: Int32) {
        let index = Int(fd)
        guard index >= 0, index < registrations.count, registrations[index] != nil else { return }
        registrations[index] = nil
        registeredCount -= 1
        _ = cepoll_ctl(epollFD, EPOLL_CTL_DEL, fd, 0, 0)
    }


    // MARK: timers (loop thread)

    /// Runs `callback` on the loop after `milliseconds`; returns an id for `cancelTimer`.
    @discardableResult
    public func schedule(afterMillis milliseconds: UInt64, _ callback: @escaping () -> Void) -> UInt64 {
        timers.schedule(at: MonotonicClock.nowMillis() + milliseconds, callback)
    }

    /// Runs `callback` on the loop once `MonotonicClock.nowMillis()` reaches `deadline`.
    @discardableResult
    public func schedule(atMillis deadline: UInt64, _ callback: @escaping () -> Void) -> UInt64 {
        timers.schedule(at: deadline, callback)
    }

    public func cancelTimer(_ id: UInt64) { timers.cancel(id) }

    /// Runs `task` on this loop after the current turn's handlers (loop thread only). Lets a
    /// handler continue work without re-entering the code that called it.
    public func runLater(_ task: @escaping () -> Void) {
        laterTasks.append(task)
    }

    /// One object of type `T` per loop, made on first use (loop thread only): state that the
    /// loop's connections share without locks.
    public func local<T: AnyObject>(_ type: T.Type = T.self, make: () -> T) -> T {
        let key = ObjectIdentifier(type)
        if let existing = locals[key] as? T { return existing }
        let made = make()
        locals[key] = made
        return made
    }

    /// `stream.flushOutbox()` once the running handler (or the turn's timers and tasks) returns
    /// (loop thread only).
    func flushAtEndOfTurn(_ stream: TCPStream) {
        streamsToFlush.append(stream)
    }

    // MARK: cross-thread

    /// Runs `task` on the loop thread soon. Safe from any thread; wakes the loop through its eventfd
    /// at most once per turn however many tasks are posted.
    public func execute(_ task: @escaping @Sendable () -> Void) {
        pending.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    public func stop() {
        running.store(false, ordering: .releasing)
        execute {}
    }

    // MARK: the loop

    /// Runs until `stop()`. Call on the thread that is to own the loop.
    public func run() {
        threadID.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .relaxed)
        let capacity = 512
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while running.load(ordering: .acquiring) {
            let timeout = pollTimeout()
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            if count < 0 {
                if cepoll_errno() == EINTR { continue }
                break
            }
            for i in 0..<Int(count) {
                let event = events + i
                let token = cepoll_event_u64(event)
                let flags = cepoll_event_flags(event)
                if token == 0 {
                    drainWakeups()
                    continue
                }
                let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: token))
                let generation = UInt32(truncatingIfNeeded: token >> 32)
                // A handler closed earlier in this turn may have had its fd reused: the generation tells.
                let index = Int(fd)
                guard index >= 0, index < registrations.count, let registration = registrations[index],
                      registration.generation == generation else { continue }
                registration.handler.handleEvents(flags)
                // What this event's handler wrote leaves now, before the next descriptor's turn:
                // the peer on the other core gets to work on it while this loop goes on.
                flushStreams()
            }
            runTimers()
            runTasks()
            runLaterTasks()
            flushStreams()
        }
        runTasks()
        flushStreams()
    }

    private func pollTimeout() -> Int32 {
        if !laterTasks.isEmpty || !streamsToFlush.isEmpty { return 0 }
        guard let deadline = timers.nextDeadline() else { return -1 }
        let now = MonotonicClock.nowMillis()
        return deadline <= now ? 0 : Int32(min(deadline - now, 60_000))
    }

    private func drainWakeups() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
    }

    private func runTimers() {
        guard !timers.isEmpty else { return }
        let now = MonotonicClock.nowMillis()
        let limit = timers.idWatermark
        while let callback = timers.popExpired(now: now, idLimit: limit) { callback() }
    }

    /// Sends what each stream was written since the last flush: one system call per stream. A
    /// flush can make more writes (a drained connection's next response): those go in the next
    /// round.
    private func flushStreams() {
        while !streamsToFlush.isEmpty {
            swap(&streamsToFlush, &flushing)
            for stream in flushing { stream.flushOutbox() }
            flushing.removeAll(keepingCapacity: true)
        }
    }

    private func runLaterTasks() {
        while !laterTasks.isEmpty {
            let tasks = laterTasks
            laterTasks.removeAll()
            for task in tasks { task() }
        }
    }

    private func runTasks() {
        wakePending.store(false, ordering: .releasing)
        let tasks = pending.withLock { tasks -> [@Sendable () -> Void] in
            let taken = tasks
            tasks.removeAll(keepingCapacity: true)
            return taken
        }
        for task in tasks { task() }
    }
}
