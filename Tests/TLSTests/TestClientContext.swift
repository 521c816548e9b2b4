import COpenSSL
@testable import TLS
import TestSupport

/// A client SSL_CTX for in-memory tests: which versions and ALPN to offer, which CA to trust.
final class TestClientContext {
    let handle: OpaquePointer

    init(minVersion: Int32 = TLS1_2_VERSION, maxVersion: Int32 = TLS1_3_VERSION,
         alpn: [String]? = ["http/1.1"], trusting caFile: String? = nil) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TestFailure("SSL_CTX_new") }
        handle = context
        _ = lensgpt_ssl_ctx_set_min_proto_version(context, minVersion)
        _ = lensgpt_ssl_ctx_set_max_proto_version(context, maxVersion)
        if let alpn {
            var wire: [UInt8] = []
            for name in alpn { wire.append(UInt8(name.utf8.count)); wire += Array(name.utf8) }
            // Note the inverted convention: 0 is success here.
            guard SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count)) == 0 else { throw TestFailure("alpn") }
        }
        if let caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw TestFailure("cannot load CA \(caFile): \(OpenSSLErrorQueue.drain())")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        }
    }

    /// A client session; with `verifyHost`, the handshake fails unless the certificate names it.
    func makeSession(verifyHost: String? = nil, session: OpaquePointer? = nil) throws -> TLSSession {
        let client = try TLSSession(sslContext: handle, owner: self, role: .client, serverName: verifyHost)
        if let verifyHost { _ = SSL_set1_host(client.ssl, verifyHost) }
        if let session { _ = SSL_set_session(client.ssl, session) }
        return client
    }

    deinit { SSL_CTX_free(handle) }
}
