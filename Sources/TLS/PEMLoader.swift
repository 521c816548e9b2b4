import COpenSSL

/// Parses certificate chains and private keys from PEM bytes already read from a file, so a
/// reload reads each file exactly once and every error names the file it came from.
enum PEMLoader {
    /// The certificates in `pem`, leaf first; the caller owns them (`X509_free`). Throws if there
    /// is none or one is malformed.
    static func certificates(_ pem: [UInt8], path: String) throws(TLSError) -> [OpaquePointer] {
        guard !pem.isEmpty else { throw TLSError(code: TLSError.Code.certificate, message: "\(path) is empty") }
        var certificates: [OpaquePointer] = []
        let failure: TLSError? = withMemoryBIO(pem) { bio in
            OpenSSLErrorQueue.clear()
            while true {
                // The first is read with its trust settings (_AUX), like SSL_CTX_use_certificate_chain_file.
                let next = certificates.isEmpty
                    ? PEM_read_bio_X509_AUX(bio, nil, refusePassphrase, nil)
                    : PEM_read_bio_X509(bio, nil, refusePassphrase, nil)
                if let next {
                    certificates.append(next)
                    continue
                }
                // Running out of PEM blocks is how the loop ends; anything else is a bad file.
                let reason = OpenSSLErrorQueue.peekFirst()
                if !certificates.isEmpty && lensgpt_err_is_pem_no_start_line(reason) != 0 {
                    OpenSSLErrorQueue.clear()
                    return nil
                }
                let what = certificates.isEmpty ? "no PEM certificate" : "a malformed certificate after the first"
                return TLSError.openSSL(TLSError.Code.certificate, "\(path) contains \(what)")
            }
        }
        if let failure {
            certificates.forEach { X509_free($0) }
            throw failure
        }
        return certificates
    }

    /// The private key in `pem`; the caller owns it (`EVP_PKEY_free`).
    static func privateKey(_ pem: [UInt8], path: String) throws(TLSError) -> OpaquePointer {
        guard !pem.isEmpty else { throw TLSError(code: TLSError.Code.privateKey, message: "\(path) is empty") }
        let key: OpaquePointer? = withMemoryBIO(pem) { bio in
            OpenSSLErrorQueue.clear()
            return PEM_read_bio_PrivateKey(bio, nil, refusePassphrase, nil)
        }
        guard let key else {
            throw TLSError.openSSL(TLSError.Code.privateKey,
                                   "\(path) contains no usable PEM private key (encrypted keys are not supported)")
        }
        return key
    }

    private static func withMemoryBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer?) -> T) -> T {
        bytes.withUnsafeBytes { buffer in
            // Callers pass non-empty bytes; a NULL BIO (allocation failure) makes PEM_read fail cleanly.
            let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}

/// Refuses every passphrase prompt: without it OpenSSL would ask on the terminal and block the
/// server on an encrypted key.
private func refusePassphrase(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32,
                              _ userData: UnsafeMutableRawPointer?) -> Int32 {
    -1
}
