import CEpoll
import Glibc
import Synchronization

/// Accepts connections on one loop. The loops' listeners share one socket (each its own
/// duplicate descriptor, woken one at a time with EPOLLEXCLUSIVE) or, with reuse-port, one
/// SO_REUSEPORT socket each.
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
            do {
                let counter = connections
                let stream = try TCPStream(fd: client, loop: loop, onClose: { counter.closed() })
                onAccept(stream)
            } catch {
                connections.closed()
                Glibc.close(client)
            }
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
