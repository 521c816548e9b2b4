import EventLoop
import Glibc
import Synchronization
import SystemSupport

/// The server could not start (a busy port).
public struct HTTPServerStartError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// One finished (or abandoned) request, for the access log and metrics.
public struct HTTPRequestLog: Sendable {
    public var id: RequestID
    public var method: String
    public var target: String
    public var status: Int
    public var bytesSent: Int
    public var durationMillis: Double
    public var peer: String
    /// The client left before the response was complete.
    public var closedEarly: Bool

    public init(id: RequestID, method: String, target: String, status: Int, bytesSent: Int,
                durationMillis: Double, peer: String, closedEarly: Bool)
    {
        self.id = id
        self.method = method
        self.target = target
        self.status = status
        self.bytesSent = bytesSent
        self.durationMillis = durationMillis
        self.peer = peer
        self.closedEarly = closedEarly
    }
}

/// What every connection of a server shares: configuration, router, per-loop caches.
final class HTTPServerContext {
    let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    let date = HTTPDateCache()
    private let onLog: (@Sendable (HTTPRequestLog) -> Void)?
    private let accessLog: AccessLogBuffer?
    private let shared: HTTPServer.Shared
    /// This loop's own response counts (see `ResponseCounter`).
    private let responseCounts: LoopResponseCounts
    private let requestIDPrefix: String
    private var requestCounter: UInt64 = 0

    init(configuration: HTTPServerConfiguration, router: @escaping HTTPRouter, loopIndex: Int,
         shared: HTTPServer.Shared, onLog: (@Sendable (HTTPRequestLog) -> Void)?, accessLog: AccessLogBuffer?)
    {
        self.configuration = configuration
        self.router = router
        requestIDPrefix = "\(shared.instance)-\(loopIndex)-"
        responseCounts = shared.responses.counts(forLoop: loopIndex)
        self.shared = shared
        self.onLog = onLog
        self.accessLog = accessLog
    }

    var isShuttingDown: Bool { shared.shuttingDown.load(ordering: .relaxed) }

    func nextRequestID() -> RequestID {
        requestCounter += 1
        return RequestID(prefix: requestIDPrefix, number: requestCounter)
    }

    func log(_ writer: HTTPResponseWriter, closedEarly: Bool) {
        let status = writer.status?.code ?? 0  // 0: the client left before any status
        responseCounts.count(status)
        guard onLog != nil || accessLog != nil else { return }
        let elapsed = Double(MonotonicClock.nowNanos() - writer.startedAt) / 1_000_000
        let entry = HTTPRequestLog(id: writer.id, method: writer.head.method, target: writer.head.target,
                                   status: status, bytesSent: writer.bytesSent,
                                   durationMillis: elapsed, peer: writer.peerAddress, closedEarly: closedEarly)
        onLog?(entry)
        accessLog?.append(entry)
    }
}

/// A port to listen on, whether its connections are encrypted, and who answers them.
public struct HTTPListenerSpec: Sendable {
    /// nil: the configuration's host.
    public var host: String?
    public var port: Int
    /// Makes the byte transform (TLS) of each new connection; nil for plaintext.
    public var transform: (@Sendable () throws -> StreamTransform)?
    public var router: @Sendable (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler

    public init(host: String? = nil, port: Int, transform: (@Sendable () throws -> StreamTransform)? = nil,
                router: @escaping @Sendable (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler)
    {
        self.host = host
        self.port = port
        self.transform = transform
        self.router = router
    }
}

/// The HTTP/1.1 server: one listener per loop on each port, one `HTTPConnection` per client.
public final class HTTPServer: Sendable {
    final class Shared: Sendable {
        let shuttingDown = Atomic<Bool>(false)
        let instance: String
        let responses: ResponseCounter
        init(loopCount: Int) {
            responses = ResponseCounter(loopCount: loopCount)
            var bytes = [UInt8](repeating: 0, count: 4)
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
            instance = bytes.map { String($0, radix: 16) }.joined()
        }
    }

    public let group: EventLoopGroup
    public let connections: ConnectionCounter

    /// Open connections on each loop (its share of the sends to every subscriber).
    public var connectionsPerLoop: [Int] {
        listeners.withLock { listeners in
            var counts = [Int](repeating: 0, count: group.loops.count)
            for listener in listeners where counts.indices.contains(listener.loop.index) {
                counts[listener.loop.index] += listener.openCount
            }
            return counts
        }
    }
    /// The bound port of each listener, in the order given (useful when a port was 0).
    public let ports: [Int]
    public var port: Int { ports[0] }
    private let shared: Shared
    /// Responses by status code, for metrics.
    public var responses: ResponseCounter { shared.responses }
    private let listeners: Mutex<[Listener]>  // touched only before start and in shutdown's loop tasks
    /// One per loop, used by that loop's thread alone; here so shutdown can write what waits.
    private let accessLogs: Mutex<[AccessLogBuffer]>
    /// Writes the loops' full log buffers, off the loops.
    private let accessLogWriter: AccessLogWriter?

    /// Binds every listener's port on every loop and starts the loops. `onLog` sees every
    /// request on its loop's thread; `accessLog` writes the request log in batches.
    public init(configuration: HTTPServerConfiguration, listeners specs: [HTTPListenerSpec],
                onLog: (@Sendable (HTTPRequestLog) -> Void)? = nil, accessLog: AccessLogSettings? = nil) throws
    {
        Socket.raiseDescriptorLimit()
        let group = try EventLoopGroup(count: configuration.loopCount)
        self.group = group
        let shared = Shared(loopCount: group.loops.count)
        self.shared = shared
        connections = ConnectionCounter(limit: configuration.maxConnections)
        var writer: AccessLogWriter?
        var buffers: [AccessLogBuffer]?
        if let accessLog {
            let made = AccessLogWriter(fd: accessLog.fd, bufferBytes: accessLog.bufferBytes)
            writer = made
            buffers = group.loops.map { AccessLogBuffer(settings: accessLog, loop: $0, writer: made) }
        }
        accessLogWriter = writer
        var made: [Listener] = []
        var ports: [Int] = []
        for spec in specs {
            let host = spec.host ?? configuration.host
            var boundPort = spec.port
            // Without --reuse-port one socket is bound (a busy port fails here) and every loop
            // accepts from its own duplicate of it; with it, one SO_REUSEPORT socket per loop.
            var sharedSocket: Int32?
            defer { if let sharedSocket { Glibc.close(sharedSocket) } }
            if !configuration.reusePort {
                let (fd, port) = try HTTPServer.bind(host: host, port: boundPort, reusePort: false)
                sharedSocket = fd
                boundPort = port
            }
            var siblings: [Listener] = []
            for loop in group.loops {
                var fd: Int32
                if let sharedSocket {
                    // Not dup(): it clears close-on-exec, and every child (chromedriver, its shell)
                    // would inherit the listener and keep the port after this process stops.
                    fd = fcntl(sharedSocket, F_DUPFD_CLOEXEC, 0)
                    guard fd >= 0 else { throw SystemError("fcntl(F_DUPFD_CLOEXEC)") }
                } else {
                    let bound = try HTTPServer.bind(host: host, port: boundPort, reusePort: true)
                    fd = bound.0
                    boundPort = bound.1
                }
                let port = boundPort
                let context = HTTPServerContext(configuration: configuration, router: spec.router, loopIndex: loop.index,
                                                shared: shared, onLog: onLog, accessLog: buffers?[loop.index])
                let makeTransform = spec.transform
                let listener = try Listener(fd: fd, port: port, loop: loop, connections: connections,
                                            exclusiveWakeups: sharedSocket != nil) { stream in
                    if let makeTransform {
                        guard let transform = try? makeTransform() else {
                            stream.abort()  // no TLS session could be made (logged by the factory)
                            return
                        }
                        stream.transform = transform
                    }
                    _ = HTTPConnection(stream: stream, server: context)
                }
                made.append(listener)
                siblings.append(listener)
            }
            for listener in siblings { listener.siblings = siblings.filter { $0 !== listener } }
            ports.append(boundPort)
        }
        self.ports = ports
        listeners = Mutex(made)
        accessLogs = Mutex(buffers ?? [])
        do {
            try writer?.start()
        } catch {
            throw SystemError("pthread_create", errno: error.code)
        }
        try group.start()
    }

    /// A listening socket, with a busy port said plainly.
    private static func bind(host: String, port: Int, reusePort: Bool) throws -> (Int32, Int) {
        do {
            return try Socket.listen(host: host, port: port, reusePort: reusePort)
        } catch let error as SystemError where error.errno == EADDRINUSE {
            throw HTTPServerStartError(description:
                "port \(port) on \(host) is already in use by another process; stop it, choose another port, "
                + "or share the port on purpose with reuse-port (--reuse-port)")
        }
    }

    /// One plaintext listener on `configuration.port`.
    public convenience init(configuration: HTTPServerConfiguration, onLog: (@Sendable (HTTPRequestLog) -> Void)? = nil,
                            accessLog: AccessLogSettings? = nil,
                            router: @escaping @Sendable (HTTPRequestHead, HTTPResponseWriter) -> HTTPRequestHandler) throws
    {
        try self.init(configuration: configuration,
                      listeners: [HTTPListenerSpec(port: configuration.port, router: router)], onLog: onLog, accessLog: accessLog)
    }

    /// Closes the listening sockets; connections already open are served on (without keep-alive).
    public func stopAccepting() {
        shared.shuttingDown.store(true, ordering: .relaxed)
        let all = listeners.withLock { l -> [Listener] in
            let taken = l
            l.removeAll()
            return taken
        }
        for listener in all {
            listener.loop.execute { listener.close() }
        }
    }

    /// Stops accepting and stops the loops, then writes the request log lines still waiting
    /// (the loops' threads have ended, so nothing else touches the buffers) and waits for them.
    public func shutdown() {
        stopAccepting()
        group.shutdown()
        accessLogs.withLock { buffers in
            for buffer in buffers { buffer.flush() }
        }
        accessLogWriter?.finish()
    }
}
