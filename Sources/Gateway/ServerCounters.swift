import EventLoop
import HTTP
import Synchronization

/// Lets the router's metrics read the server's counters once the server exists (the router is
/// made first: the server needs it).
final class ServerCounters: Sendable {
    private let counters = Mutex<(connections: ConnectionCounter, responses: ResponseCounter)?>(nil)
    func attach(_ server: HTTPServer) { counters.withLock { $0 = (server.connections, server.responses) } }
    var openConnections: Int { counters.withLock { $0?.connections.current ?? 0 } }
    var responsesByStatus: [Int: Int] { counters.withLock { $0?.responses }?.byStatus ?? [:] }
}
