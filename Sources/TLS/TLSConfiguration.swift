/// What a `TLSContext` is built from. Files are re-read on every `TLSContext` creation, which is
/// what `TLSCertificateStore.reload()` relies on.
public struct TLSConfiguration: Sendable, Equatable {
    /// PEM file: the leaf certificate first, then any intermediates.
    public var certificateChainPath: String
    /// PEM file with an unencrypted RSA or ECDSA private key (PKCS#8 or traditional).
    public var privateKeyPath: String
    /// Protocols the server accepts, most preferred first. A client offering ALPN but none of
    /// these gets a fatal `no_application_protocol` alert (RFC 7301 3.2); a client offering no
    /// ALPN at all is served (and `negotiatedALPN` is nil). Empty: ALPN is not answered.
    public var alpnProtocols: [String]

    public init(certificateChainPath: String, privateKeyPath: String,
                alpnProtocols: [String] = ["http/1.1"]) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.alpnProtocols = alpnProtocols
    }

    /// The ALPN list in wire format: each name prefixed by its one-byte length.
    func alpnWireFormat() throws(TLSError) -> [UInt8] {
        var wire: [UInt8] = []
        for name in alpnProtocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw TLSError(code: TLSError.Code.configuration,
                               message: "ALPN protocol name must be 1 to 255 bytes: \"\(name)\"")
            }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire
    }
}
