/// What `TLSSession.readPlaintext` found besides plaintext.
public enum TLSReadState: Sendable, Equatable {
    /// The connection goes on (possibly waiting for more ciphertext).
    case open
    /// The peer sent close_notify: no more plaintext will come. Writing is still allowed.
    case closed
}
