@testable import TLS

/// A client and a server session joined by moving ciphertext between them in memory, optionally
/// in pieces of `pieceSize` bytes with a `readPlaintext` after each piece (the incremental path).
struct InMemoryLink {
    let client: TLSSession
    let server: TLSSession
    var pieceSize: Int = .max
    var clientReceived: [UInt8] = []
    var serverReceived: [UInt8] = []
    var clientState: TLSReadState = .open
    var serverState: TLSReadState = .open

    init(client: TLSSession, server: TLSSession, pieceSize: Int = .max) {
        self.client = client
        self.server = server
        self.pieceSize = pieceSize
    }

    /// Moves ciphertext both ways until neither side has any left (the handshake, data, alerts).
    /// Errors are thrown from whichever side hit one.
    mutating func run() throws(TLSError) {
        // A client's first readPlaintext writes its ClientHello.
        if !client.isHandshakeComplete { clientState = try client.readPlaintext(into: &clientReceived) }
        var rounds = 0
        while client.hasCiphertext || server.hasCiphertext {
            rounds += 1
            precondition(rounds < 100, "ciphertext kept flowing: the engines loop")
            var bytes: [UInt8] = []
            client.takeCiphertext(into: &bytes)
            serverState = try Self.deliver(bytes, to: server, pieceSize: pieceSize, plaintext: &serverReceived)
            bytes.removeAll()
            server.takeCiphertext(into: &bytes)
            clientState = try Self.deliver(bytes, to: client, pieceSize: pieceSize, plaintext: &clientReceived)
        }
    }

    static func deliver(_ bytes: [UInt8], to session: TLSSession, pieceSize: Int,
                        plaintext: inout [UInt8]) throws(TLSError) -> TLSReadState {
        var state = try session.readPlaintext(into: &plaintext)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieceSize)
            bytes[offset..<end].withUnsafeBytes { session.receiveCiphertext($0) }
            state = try session.readPlaintext(into: &plaintext)
            offset = end
        }
        return state
    }
}

extension TLSSession {
    func write(_ text: String) throws(TLSError) {
        try writePlaintext(Array(text.utf8))
    }

    func writePlaintext(_ bytes: [UInt8]) throws(TLSError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(TLSError) in try writePlaintext(buffer) }
        }
        try result.get()
    }

    func receive(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { receiveCiphertext($0) }
    }
}
