import EventLoop

/// TLS under a `TCPStream`: ciphertext from the socket goes into the session, plaintext comes
/// out for the HTTP parser, and every record the session produces is written back.
///
/// Memory BIOs rather than OpenSSL on the fd: the loop keeps owning the socket, its readiness
/// and its back-pressure, and nothing above the stream knows whether it is encrypted.
public final class TLSStreamTransform: StreamTransform {
    let session: TLSSession

    public init(session: TLSSession) {
        self.session = session
    }

    public func inbound(_ ciphertext: UnsafeRawBufferPointer, plaintext: inout [UInt8]) throws -> Bool {
        session.receiveCiphertext(ciphertext)
        return try session.readPlaintext(into: &plaintext) == .open
    }

    public func outbound(_ plaintext: UnsafeRawBufferPointer, ciphertext: inout [UInt8]) throws {
        // Encrypted in slices so one large response does not become one huge ciphertext buffer.
        var offset = 0
        while offset < plaintext.count {
            let end = min(plaintext.count, offset + 256 * 1024)
            try session.writePlaintext(UnsafeRawBufferPointer(rebasing: plaintext[offset..<end]))
            session.takeCiphertext(into: &ciphertext)
            offset = end
        }
    }

    public func takePending(into ciphertext: inout [UInt8]) {
        session.takeCiphertext(into: &ciphertext)
    }

    public func shutdown() {
        session.shutdown()
    }
}
