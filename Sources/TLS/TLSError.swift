import COpenSSL
import SystemSupport

/// A TLS failure as a value: `code` is stable and meant for logs, metrics and decisions;
/// `message` is for people and carries OpenSSL's own reason where there is one.
public struct TLSError: CodedError {
    /// One of the `TLSError.Code` constants.
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// The codes this module produces.
    public enum Code {
        /// The first bytes are not a TLS handshake record (plain HTTP on the TLS port, garbage).
        public static let notTLS = "not_tls"
        /// OpenSSL rejected the handshake (bad record, no shared version or cipher, no ALPN match).
        public static let handshakeFailed = "handshake_failed"
        /// The peer tried to renegotiate (TLS 1.2); renegotiation is off.
        public static let renegotiation = "renegotiation"
        /// A fatal error after the handshake (bad record MAC, a fatal alert from the peer).
        public static let protocolError = "protocol_error"
        /// The transport ended without close_notify (mid-handshake or mid-stream).
        public static let truncated = "truncated"
        /// `writePlaintext` before the handshake completed.
        public static let notReady = "not_ready"
        /// `writePlaintext` after `shutdown()`, or after the session failed.
        public static let closed = "closed"
        /// OpenSSL could not allocate or configure a context or session.
        public static let setup = "setup"
        /// The certificate chain file is missing, unreadable or not PEM certificates.
        public static let certificate = "certificate"
        /// The private key file is missing, unreadable, encrypted or not a PEM key.
        public static let privateKey = "private_key"
        /// The private key does not belong to the certificate.
        public static let keyMismatch = "key_mismatch"
        /// A `TLSConfiguration` value is invalid (e.g. an ALPN name that is empty or too long).
        public static let configuration = "configuration"
        /// Generating or writing a development certificate failed.
        public static let devCertificate = "dev_certificate"
    }

    /// Builds an error whose message ends with everything on this thread's OpenSSL error queue,
    /// and empties the queue so the next connection on this thread starts clean.
    static func openSSL(_ code: String, _ context: String) -> TLSError {
        let reasons = OpenSSLErrorQueue.drain()
        return TLSError(code: code, message: reasons.isEmpty ? context : "\(context): \(reasons)")
    }
}
