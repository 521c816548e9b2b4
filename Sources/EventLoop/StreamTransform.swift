/// A byte transform under the stream, such as TLS: the stream hands it ciphertext from the
/// socket and plaintext from the application, and writes whatever ciphertext it yields. Code
/// above the stream never knows whether a connection is encrypted.
public protocol StreamTransform: AnyObject {
    /// Ciphertext read from the socket; appends any plaintext it yields. Returns false when the
    /// peer ended the session cleanly. Throws on a fatal error (the stream then closes).
    func inbound(_ ciphertext: UnsafeRawBufferPointer, plaintext: inout [UInt8]) throws -> Bool
    /// Application bytes to send; appends the ciphertext to write.
    func outbound(_ plaintext: UnsafeRawBufferPointer, ciphertext: inout [UInt8]) throws
    /// Ciphertext the transform produced by itself (handshake records, alerts).
    func takePending(into ciphertext: inout [UInt8])
    /// Ends the session (for TLS, queues close_notify).
    func shutdown()
}
