import COpenSSL

/// One TLS connection as a transform of bytes: ciphertext in, plaintext out, and the reverse.
///
/// Memory BIOs keep TLS a byte transform under HTTP: the event loop owns the socket, its
/// readiness and its back-pressure; this type never sees a file descriptor, never blocks and
/// never waits. Confined to the thread of its connection (OpenSSL's error queue is per thread).
///
/// Driving it, per readable event: `receiveCiphertext` what was read, then `readPlaintext`,
/// then send `takeCiphertext` (handshake records, tickets, alerts) even when `readPlaintext`
/// threw. On socket EOF: `receiveEndOfStream`, then `readPlaintext` once more.
public final class TLSSession {
    /// Keeps the server context (and the ALPN list its callback reads) alive as long as the SSL.
    private let owner: AnyObject?
    let ssl: OpaquePointer
    /// Ciphertext from the peer; owned by `ssl`.
    private let input: OpaquePointer
    /// Ciphertext for the peer; owned by `ssl`.
    private let output: OpaquePointer
    private let events: UnsafeMutablePointer<lensgpt_ssl_events>

    private var failure: TLSError?
    /// Set once the initial handshake completes. SSL_is_init_finished is not used for this: it
    /// is briefly false again after the handshake while a TLS 1.3 KeyUpdate is being sent.
    private var handshakeCompleted = false
    private var peerClosed = false
    private var shutdownQueued = false
    private var receivedAnyCiphertext = false
    private var inputEnded = false

    enum Role { case server, client }

    /// A server session for one accepted connection.
    public convenience init(context: TLSContext) throws(TLSError) {
        try self.init(sslContext: context.handle, owner: context, role: .server)
    }

    /// `sslContext` must stay configured for the session's life; `owner` is retained for it.
    /// The client role exists for tests (and, later, outbound TLS).
    init(sslContext: OpaquePointer, owner: AnyObject?, role: Role, serverName: String? = nil) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(sslContext) else {
            throw TLSError.openSSL(TLSError.Code.setup, "SSL_new failed")
        }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.openSSL(TLSError.Code.setup, "BIO_new failed")
        }
        // From here SSL_free frees both BIOs.
        SSL_set_bio(ssl, input, output)
        if let serverName, lensgpt_ssl_set_tlsext_host_name(ssl, serverName) != 1 {
            SSL_free(ssl)
            throw TLSError.openSSL(TLSError.Code.setup, "cannot set the server name \(serverName)")
        }
        events = UnsafeMutablePointer<lensgpt_ssl_events>.allocate(capacity: 1)
        events.initialize(to: lensgpt_ssl_events(renegotiation_refused: 0))
        lensgpt_ssl_set_events(ssl, events)
        switch role {
        case .server: SSL_set_accept_state(ssl)
        case .client: SSL_set_connect_state(ssl)
        }
        self.ssl = ssl
        self.input = input
        self.output = output
        self.owner = owner
    }

    deinit {
        SSL_free(ssl)
        events.deallocate()
    }

    // MARK: Ciphertext in

    /// Ciphertext read from the socket. Buffered until `readPlaintext`; the caller bounds how
    /// much it feeds between two `readPlaintext` calls (that bounds the plaintext they produce).
    /// Ignored after a failure or `receiveEndOfStream()`.
    public func receiveCiphertext(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !inputEnded, let base = bytes.baseAddress, bytes.count > 0 else { return }
        if !receivedAnyCiphertext {
            receivedAnyCiphertext = true
            // A TLS stream starts with a record header whose content type is 20...24 (a client's
            // with a handshake record, 22; a server may answer with an alert, 21). Deciding on
            // the first byte gives plain HTTP on the TLS port a clear error instead of OpenSSL's.
            if let problem = Self.notTLSReason(firstByte: bytes[0]) {
                failure = TLSError(code: TLSError.Code.notTLS, message: problem)
                return
            }
        }
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, Int(Int32.max))
            OpenSSLErrorQueue.clear()
            let written = BIO_write(input, base + offset, Int32(count))
            guard written > 0 else {
                failure = TLSError.openSSL(TLSError.Code.setup, "cannot buffer ciphertext")
                return
            }
            offset += Int(written)
        }
    }

    /// The transport reached EOF: no more ciphertext will come. The next `readPlaintext` throws
    /// `truncated` unless the peer's close_notify was (or is now) read.
    public func receiveEndOfStream() {
        guard !inputEnded else { return }
        inputEnded = true
        // A memory BIO says "retry later" when empty; from now on it says EOF.
        lensgpt_bio_set_mem_eof_return(input, 0)
    }

    // MARK: Plaintext out

    /// Advances the handshake and decrypts everything available (draining SSL_pending),
    /// appending plaintext to `plaintext`. Never blocks: with too little ciphertext it returns
    /// `.open` having appended nothing. Appends at most as many bytes as ciphertext was fed.
    ///
    /// Returns `.closed` once the peer sent close_notify. Throws on a fatal error (`not_tls`,
    /// `handshake_failed`, `renegotiation`, `protocol_error`, `truncated`); the caller then sends
    /// whatever `takeCiphertext` has (the alert, if any) and closes. After a throw every call
    /// throws the same error. Plaintext decrypted before the error may have been appended.
    public func readPlaintext(into plaintext: inout [UInt8]) throws(TLSError) -> TLSReadState {
        if let failure { throw failure }
        if peerClosed { return .closed }
        if !handshakeCompleted {
            guard try advanceHandshake() else { return .open }
            handshakeCompleted = true
        }
        return try drainPlaintext(into: &plaintext)
    }

    /// Returns true once the handshake is complete, false while it waits for ciphertext.
    private func advanceHandshake() throws(TLSError) -> Bool {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return true }
        let error = SSL_get_error(ssl, result)
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // WANT_WRITE cannot happen with a growable memory BIO; either way the next step
            // needs the peer, and any records OpenSSL produced wait in the output.
            OpenSSLErrorQueue.clear()
            if inputEnded { throw fail(TLSError.Code.truncated, "connection closed during the handshake") }
            return false
        default:
            if inputEnded && isEndOfStream(error) {
                throw fail(TLSError.Code.truncated, "connection closed during the handshake")
            }
            throw fail(TLSError.Code.handshakeFailed, "TLS handshake failed")
        }
    }

    private func drainPlaintext(into plaintext: inout [UInt8]) throws(TLSError) -> TLSReadState {
        // One record holds at most 16 KiB of plaintext; SSL_read_ex returns one record at a time.
        let chunkSize = 16 * 1024
        return try withUnsafeTemporaryAllocation(byteCount: chunkSize, alignment: 1) {
            (scratch: UnsafeMutableRawBufferPointer) throws(TLSError) -> TLSReadState in
            while true {
                OpenSSLErrorQueue.clear()
                var count = 0
                let result = SSL_read_ex(ssl, scratch.baseAddress, scratch.count, &count)
                if result == 1 {
                    plaintext.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                    continue
                }
                let error = SSL_get_error(ssl, result)
                if events.pointee.renegotiation_refused != 0 {
                    // OpenSSL answered with a no_renegotiation warning and would carry on; a
                    // client that tries is not one we want to keep talking to.
                    throw fail(TLSError.Code.renegotiation, "the peer attempted a TLS renegotiation")
                }
                switch error {
                case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                    OpenSSLErrorQueue.clear()
                    if inputEnded { throw fail(TLSError.Code.truncated, "connection closed without close_notify") }
                    return .open
                case SSL_ERROR_ZERO_RETURN:
                    OpenSSLErrorQueue.clear()
                    peerClosed = true
                    return .closed
                default:
                    if inputEnded && isEndOfStream(error) {
                        throw fail(TLSError.Code.truncated, "connection closed without close_notify")
                    }
                    throw fail(TLSError.Code.protocolError, "TLS connection failed")
                }
            }
        }
    }

    /// Whether OpenSSL's error is "the transport ended" (it reports that two ways).
    private func isEndOfStream(_ error: Int32) -> Bool {
        if error == SSL_ERROR_SYSCALL { return true }
        let first = OpenSSLErrorQueue.peekFirst()
        return error == SSL_ERROR_SSL && lensgpt_err_lib(first) == ERR_LIB_SSL
            && lensgpt_err_reason(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING
    }

    /// Records a fatal error (draining the OpenSSL queue into it) and returns it for throwing.
    private func fail(_ code: String, _ context: String) -> TLSError {
        let error = TLSError.openSSL(code, context)
        failure = error
        return error
    }

    // MARK: Plaintext in, ciphertext out

    /// Encrypts application data into records waiting in `takeCiphertext`. All of `bytes` is
    /// encrypted at once, so the caller bounds how much it writes per turn.
    ///
    /// Throws `not_ready` before the handshake completed (nothing is buffered: a server has
    /// nothing to say before it has read a request), `closed` after `shutdown()` or a failure.
    public func writePlaintext(_ bytes: UnsafeRawBufferPointer) throws(TLSError) {
        if let failure { throw TLSError(code: TLSError.Code.closed, message: "session failed: \(failure)") }
        guard !shutdownQueued else {
            throw TLSError(code: TLSError.Code.closed, message: "write after shutdown()")
        }
        guard handshakeCompleted else {
            throw TLSError(code: TLSError.Code.notReady, message: "write before the TLS handshake completed")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            OpenSSLErrorQueue.clear()
            var written = 0
            let result = SSL_write_ex(ssl, base + offset, bytes.count - offset, &written)
            guard result == 1 else {
                throw fail(TLSError.Code.protocolError, "cannot encrypt application data")
            }
            offset += written
        }
    }

    /// Moves the ciphertext ready for the socket (handshake records, application records,
    /// alerts) to the end of `ciphertext`, emptying the engine's output.
    public func takeCiphertext(into ciphertext: inout [UInt8]) {
        var data: UnsafeMutablePointer<CChar>?
        let count = lensgpt_bio_get_mem_data(output, &data)
        guard count > 0, let data else { return }
        ciphertext.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        _ = BIO_ctrl(output, BIO_CTRL_RESET, 0, nil)
    }

    public var hasCiphertext: Bool { BIO_ctrl_pending(output) > 0 }

    // MARK: State

    public var isHandshakeComplete: Bool { handshakeCompleted }

    /// The protocol the server selected by ALPN (e.g. "http/1.1"), nil if none was negotiated.
    public var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// "TLSv1.2" or "TLSv1.3" once the handshake is complete, nil before.
    public var protocolVersion: String? {
        guard isHandshakeComplete, let name = SSL_get_version(ssl) else { return nil }
        return String(cString: name)
    }

    /// Whether the handshake resumed an earlier session (from a session ticket).
    public var isSessionReused: Bool { SSL_session_reused(ssl) == 1 }

    /// The peer's certificate (the server's, for a client session).
    var peerCertificate: TLSCertificateInfo? {
        guard let certificate = SSL_get0_peer_certificate(ssl) else { return nil }
        return TLSCertificateInfo(x509: certificate)
    }

    // MARK: Close

    /// Queues close_notify for `takeCiphertext`. Idempotent; does nothing before the handshake
    /// completed or after a failure (there is no session to close cleanly). Further writes throw.
    public func shutdown() {
        guard !shutdownQueued else { return }
        shutdownQueued = true
        guard failure == nil, isHandshakeComplete else { return }
        OpenSSLErrorQueue.clear()
        // SSL_shutdown refuses to run "in init"; finish sending a pending KeyUpdate first.
        if SSL_in_init(ssl) != 0 { _ = SSL_do_handshake(ssl) }
        // 0 means "sent ours, not yet received theirs": fine, we do not wait for the peer's.
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    // MARK: Plain HTTP detection

    /// Why a connection whose first byte is `firstByte` is not TLS, or nil if it may be.
    static func notTLSReason(firstByte: UInt8) -> String? {
        let recordContentTypes: ClosedRange<UInt8> = 20...24
        if recordContentTypes.contains(firstByte) { return nil }
        if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(firstByte) {
            return "plain HTTP (or another text protocol) sent to the TLS port: first byte '\(Character(Unicode.Scalar(firstByte)))'"
        }
        return "not a TLS record: first byte 0x\(String(firstByte, radix: 16, uppercase: true))"
    }
}
