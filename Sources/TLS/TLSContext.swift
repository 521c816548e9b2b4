import COpenSSL
import SystemSupport

/// A configured server `SSL_CTX`: certificate chain and key, TLS 1.2 and 1.3 only, OpenSSL's
/// default (secure) ciphers and groups, ALPN selection, session tickets on, renegotiation off.
/// Immutable once built; to change certificates build a new one (see `TLSCertificateStore`).
// @unchecked: SSL_CTX is safe to share across threads for SSL_new once configured, and nothing
// here changes it after init.
public final class TLSContext: @unchecked Sendable {
    public let configuration: TLSConfiguration
    /// The leaf certificate served.
    public let certificate: TLSCertificateInfo

    let handle: OpaquePointer
    /// Read by the ALPN callback of every SSL made from `handle`; sessions keep their context
    /// alive, so this outlives them all.
    private let alpnList: UnsafeMutablePointer<lensgpt_alpn_list>?
    private let alpnBytes: UnsafeMutableBufferPointer<UInt8>?

    public init(configuration: TLSConfiguration) throws(TLSError) {
        let alpnWire = try configuration.alpnWireFormat()
        let certificatePEM = try Self.read(configuration.certificateChainPath, as: TLSError.Code.certificate)
        let keyPEM = try Self.read(configuration.privateKeyPath, as: TLSError.Code.privateKey)

        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw TLSError.openSSL(TLSError.Code.setup, "SSL_CTX_new failed")
        }
        do {
            try Self.configureProtocol(context)
            certificate = try Self.installCertificate(context, chainPEM: certificatePEM,
                                                      keyPEM: keyPEM, configuration: configuration)
        } catch {
            SSL_CTX_free(context)
            throw error
        }

        if alpnWire.isEmpty {
            alpnList = nil
            alpnBytes = nil
        } else {
            let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: alpnWire.count)
            _ = bytes.initialize(from: alpnWire)
            let list = UnsafeMutablePointer<lensgpt_alpn_list>.allocate(capacity: 1)
            list.initialize(to: lensgpt_alpn_list(data: UnsafePointer(bytes.baseAddress),
                                                  length: UInt32(bytes.count)))
            alpnList = list
            alpnBytes = bytes
        }
        lensgpt_ssl_ctx_install_callbacks(context, alpnList)
        self.configuration = configuration
        self.handle = context
    }

    deinit {
        SSL_CTX_free(handle)
        alpnList?.deallocate()
        alpnBytes?.deallocate()
    }

    private static func read(_ path: String, as code: String) throws(TLSError) -> [UInt8] {
        switch BoundedFile.read(path, limit: FileIO.maximumReadSize) {
        case .success(let bytes): return bytes
        case .failure(let failure): throw TLSError(code: code, message: "cannot read \(path): \(failure)")
        }
    }

    private static func configureProtocol(_ context: OpaquePointer) throws(TLSError) {
        guard lensgpt_ssl_ctx_set_min_proto_version(context, TLS1_2_VERSION) == 1,
              lensgpt_ssl_ctx_set_max_proto_version(context, TLS1_3_VERSION) == 1 else {
            throw TLSError.openSSL(TLSError.Code.setup, "cannot restrict protocol versions to TLS 1.2-1.3")
        }
        // Renegotiation is an old source of CVEs and DoS and nothing we serve needs it.
        _ = SSL_CTX_set_options(context, lensgpt_ssl_op_no_renegotiation())
        // Idle keep-alive connections give their ~34 KB of record buffers back.
        _ = lensgpt_ssl_ctx_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
        // Resumption goes through (stateless) session tickets, which stay on; the server-side
        // session cache would only be a second, unbounded-by-us store of the same thing.
        _ = lensgpt_ssl_ctx_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))
    }

    /// Loads the chain and key, and checks they belong together.
    private static func installCertificate(_ context: OpaquePointer, chainPEM: [UInt8], keyPEM: [UInt8],
                                           configuration: TLSConfiguration) throws(TLSError) -> TLSCertificateInfo {
        let certificatePath = configuration.certificateChainPath
        let keyPath = configuration.privateKeyPath
        let chain = try PEMLoader.certificates(chainPEM, path: certificatePath)
        defer { chain.forEach { X509_free($0) } }
        let key = try PEMLoader.privateKey(keyPEM, path: keyPath)
        defer { EVP_PKEY_free(key) }
        let leaf = chain[0]

        OpenSSLErrorQueue.clear()
        // Checked before installing so the mismatch is reported as such, whatever the key type.
        guard X509_check_private_key(leaf, key) == 1 else {
            throw TLSError.openSSL(TLSError.Code.keyMismatch,
                                   "private key \(keyPath) does not match certificate \(certificatePath)")
        }
        guard SSL_CTX_use_certificate(context, leaf) == 1 else {
            throw TLSError.openSSL(TLSError.Code.certificate, "cannot use the certificate in \(certificatePath)")
        }
        for intermediate in chain.dropFirst() {
            // add0 takes ownership on success; take a reference of our own so the defer stays right.
            X509_up_ref(intermediate)
            guard lensgpt_ssl_ctx_add0_chain_cert(context, intermediate) == 1 else {
                X509_free(intermediate)
                throw TLSError.openSSL(TLSError.Code.certificate,
                                       "cannot use an intermediate certificate in \(certificatePath)")
            }
        }
        guard SSL_CTX_use_PrivateKey(context, key) == 1 else {
            throw TLSError.openSSL(TLSError.Code.privateKey, "cannot use the private key in \(keyPath)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw TLSError.openSSL(TLSError.Code.keyMismatch,
                                   "private key \(keyPath) does not match certificate \(certificatePath)")
        }
        return TLSCertificateInfo(x509: leaf)
    }
}
