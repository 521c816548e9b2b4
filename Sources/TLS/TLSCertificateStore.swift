import Synchronization

/// The context new connections get, swappable at run time (e.g. on SIGHUP after a certificate
/// renewal). A swap affects new connections only: an open connection's SSL holds a reference to
/// the SSL_CTX it was made from, and its `TLSSession` to the `TLSContext`.
@available(macOS 15, *)
public final class TLSCertificateStore: Sendable {
    public let configuration: TLSConfiguration
    private let context: Mutex<TLSContext>

    /// Loads the files once; throws if they are unusable (the server should not start).
    public init(configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        self.context = Mutex(try TLSContext(configuration: configuration))
    }

    /// The context for the next connection.
    public var current: TLSContext {
        context.withLock { $0 }
    }

    /// A server session on the current context.
    public func makeSession() throws(TLSError) -> TLSSession {
        try TLSSession(context: current)
    }

    /// Re-reads the certificate and key files and, if they load and match, serves them to new
    /// connections. On any error the current context stays in place and the error is thrown for
    /// the caller to log. Returns the certificate now served.
    @discardableResult
    public func reload() throws(TLSError) -> TLSCertificateInfo {
        // Built outside the lock: loading does file I/O and must not stall connection setup.
        let fresh = try TLSContext(configuration: configuration)
        let previous = context.withLock { current in
            let previous = current
            current = fresh
            return previous
        }
        // The old context is released here, outside the lock (freed once its last session ends).
        _ = previous
        return fresh.certificate
    }
}
