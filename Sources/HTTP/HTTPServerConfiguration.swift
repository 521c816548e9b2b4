import Glibc

/// Limits and timeouts of the HTTP layer. Every value has a name, a default and a setting.
public struct HTTPServerConfiguration: Sendable {
    public var host: String = "0.0.0.0"
    public var port: Int = 3002
    /// Event-loop threads; default one per core.
    public var loopCount: Int = HTTPServerConfiguration.coreCount
    public var maxConnections: Int = 16_384
    /// Request line and header bounds. Body size is left to each route's handler (the upload
    /// route knows its limit; the others buffer at most 64 KiB), so the parser's body bound is off.
    public var parserLimits = HTTPParserLimits()
    /// Time allowed from a connection's (or request's) first byte until its header section is complete (slowloris).
    public var headerTimeoutMillis: UInt64 = 10_000
    /// Time allowed for a TLS handshake (and nothing else) on a new encrypted connection.
    public var tlsHandshakeTimeoutMillis: UInt64 = 10_000
    /// How long a keep-alive connection may sit between requests.
    public var idleTimeoutMillis: UInt64 = 30_000
    /// A request body slower than this many bytes per second over `bodyRateWindowMillis` is cut off with 408.
    public var minBodyBytesPerSecond: Int = 1024
    public var bodyRateWindowMillis: UInt64 = 10_000
    /// Response bytes a connection may have waiting for the client before we stop reading its requests.
    public var writeHighWaterBytes: Int = 256 * 1024
    /// After answering a request whose body was not read (413, 415, a parse error), how long
    /// the rest is read and dropped so the client gets the answer rather than a reset.
    public var lingerMillis: UInt64 = 2_000
    /// Pipelined request bytes buffered while a response is in progress.
    public var maxPipelinedBytes: Int = 64 * 1024
    /// A connection whose queued response bytes make no progress for this long is closed and its
    /// queue freed (a client that never reads, a close waiting for a flush that never comes).
    public var writeTimeoutMillis: UInt64 = 30_000
    /// Share the port with other processes through SO_REUSEPORT. Off: a busy port is a startup
    /// error, and this process's loops share one listening socket.
    public var reusePort = false

    public init() {}

    public static var coreCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
