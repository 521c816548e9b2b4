import CEpoll
import Glibc
import Synchronization

/// Accepts connections on one loop. The loops' listeners share one socket (each its own
/// duplicate descriptor, woken one at a time with EPOLLEXCLUSIVE) or, with reuse-port, one
/// SO_REUSEPORT socket each.
///
/// The kernel's choice of loop is uneven (EPOLLEXCLUSIVE tends to wake the same waiter; a
/// reuse-port hash is random), and a loop's share of 1,000 subscribers is its share of every
/// event's sends. So a loop holding `balanceMargin` more connections than another hands each
/// new one to the least loaded (one hop, at accept only).
///
/// When the process runs out of descriptors (EMFILE/ENFILE), accept would keep failing while
/// the pending connection keeps the socket readable: a busy spin. A reserve descriptor is
/// released to accept that connection and close it at once, then taken again.
public final class Listener: EventHandler, @unchecked Sendable {  // wraps a listening fd; only its loop touches it (others post close() there)
    public let fd: Int32
    public let port: Int
    public let loop: EventLoop
    private let onAccept: (TCPStream) -> Void
    private let connections: ConnectionCounter
    private var reserveFD: Int32
    /// Connections open on this loop through this listener (read by the other loops').
    private let openHere = Atomic<Int>(0)
    public var openCount: Int { openHere.load(ordering: .relaxed) }
    /// The listeners of the same socket on the other loops; set once, before the loops start.
    public var siblings: [Listener] = []
    public static let balanceMargin = 8

    /// `exclusiveWakeups`: the socket is shared by several loops; a new connection wakes one of
    /// them rather than all.
    public init(fd: Int32, port: Int, loop: EventLoop, connections: ConnectionCounter, exclusiveWakeups: Bool = false,
                onAccept: @escaping (TCPStream) -> Void) throws
    {
        self.fd = fd
        self.port = port
        self.loop = loop
        self.onAccept = onAccept
        self.connections = connections
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let exclusive = exclusiveWakeups ? UInt32(EPOLLEXCLUSIVE.rawValue) : 0
        try loop.register(fd: fd, interest: EventLoop.readable | exclusive, handler: self)
    }

    public func handleEvents(_ events: UInt32) {
        // Bounded per turn so a connection storm does not starve established connections.
        for _ in 0..<64 {
            let client = cepoll_accept(fd)
            if client < 0 {
                let error = cepoll_errno()
                if error == EMFILE || error == ENFILE {
                    shedOneConnection()
                    continue
                }
                return  // EAGAIN, or a connection that died in the backlog
            }
            guard connections.tryOpen() else {
                Glibc.close(client)  // over the configured limit
                continue
            }
            // Counted where it will live before the hop, so the next decisions see it.
            let target = leastLoaded()
            target.openHere.add(1, ordering: .relaxed)
            if target === self {
                start(client)
            } else {
                target.loop.execute { target.start(client) }
            }
        }
    }

    /// This listener, or a sibling with `balanceMargin` fewer connections.
    private func leastLoaded() -> Listener {
        let mine = openCount
        var best = self
        var fewest = mine
        for sibling in siblings {
            let count = sibling.openCount
            if count < fewest { (best, fewest) = (sibling, count) }
        }
        return mine - fewest > Listener.balanceMargin ? best : self
    }

    /// Serves an accepted connection on this loop (already counted in `openHere`).
    private func start(_ client: Int32) {
        let counter = connections
        do {
            let stream = try TCPStream(fd: client, loop: loop, onClose: { [self] in
                counter.closed()
                openHere.subtract(1, ordering: .relaxed)
            })
            onAccept(stream)
        } catch {
            counter.closed()
            openHere.subtract(1, ordering: .relaxed)
            Glibc.close(client)
        }
    }

    private func shedOneConnection() {
        guard reserveFD >= 0 else { return }
        Glibc.close(reserveFD)
        let client = cepoll_accept(fd)
        if client >= 0 { Glibc.close(client) }
        reserveFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        connections.noteShed()
    }

    public func close() {
        siblings = []  // they point at each other
        loop.deregister(fd: fd)
        Glibc.close(fd)
        if reserveFD >= 0 { Glibc.close(reserveFD) }
    }
}

/// Open connections across all loops, with a ceiling.
public final class ConnectionCounter: Sendable {
    public let limit: Int
    private let open = Atomic<Int>(0)
    private let shed = Atomic<Int>(0)

    public init(limit: Int) { self.limit = limit }

    public var current: Int { open.load(ordering: .relaxed) }
    /// Connections closed at once because descriptors ran out.
    public var shedCount: Int { shed.load(ordering: .relaxed) }

    func tryOpen() -> Bool {
        if open.add(1, ordering: .relaxed).newValue > limit {
            open.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func closed() { open.subtract(1, ordering: .relaxed) }
    func noteShed() { shed.add(1, ordering: .relaxed) }
}
