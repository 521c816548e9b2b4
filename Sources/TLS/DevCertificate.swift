import COpenSSL

/// A self-signed ECDSA P-256 certificate for local development: valid for `localhost`,
/// `127.0.0.1` and `::1`, usable as its own trust anchor (`curl --cacert cert.pem`).
/// It is a leaf (CA:FALSE), so trusting it cannot make anything else trusted.
public struct DevCertificate: Sendable {
    public static let dnsNames = ["localhost"]
    public static let ipAddresses = ["127.0.0.1", "::1"]
    public static let certificateFileName = "cert.pem"
    public static let privateKeyFileName = "key.pem"

    public let certificatePEM: [UInt8]
    /// PKCS#8, unencrypted.
    public let privateKeyPEM: [UInt8]

    /// Generates a fresh key and certificate, valid from an hour ago (clock skew) for `validityDays`.
    public init(validityDays: Int = 365) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        let key = try Self.generateKey()
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw Self.failure("X509_new failed") }
        defer { X509_free(certificate) }
        try Self.fill(certificate, key: key, validityDays: validityDays)
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw Self.failure("cannot sign the certificate") }
        certificatePEM = try Self.pem { bio in PEM_write_bio_X509(bio, certificate) }
        privateKeyPEM = try Self.pem { bio in PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) }
    }

    /// Writes `cert.pem` (mode 0644) and `key.pem` (mode 0600) into `directory`, creating it if
    /// missing and replacing existing files. Returns the absolute paths.
    public func write(toDirectory directory: String) throws(TLSError) -> (certificatePath: String, privateKeyPath: String) {
        if case .failure(let failure) = FileIO.makeDirectories(directory) {
            throw TLSError(code: TLSError.Code.devCertificate, message: "cannot create \(directory): \(failure)")
        }
        let base = FileIO.absolutePath(directory)
        let certificatePath = base + "/" + Self.certificateFileName
        let privateKeyPath = base + "/" + Self.privateKeyFileName
        for (path, bytes, mode) in [(privateKeyPath, privateKeyPEM, mode_t(0o600)),
                                    (certificatePath, certificatePEM, mode_t(0o644))] {
            if case .failure(let failure) = FileIO.writeAll(path, bytes, mode: mode) {
                throw TLSError(code: TLSError.Code.devCertificate, message: "cannot write \(path): \(failure)")
            }
        }
        return (certificatePath, privateKeyPath)
    }

    private static func generateKey() throws(TLSError) -> OpaquePointer {
        guard let parameters = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw failure("EVP_PKEY_CTX_new_id failed") }
        defer { EVP_PKEY_CTX_free(parameters) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(parameters) == 1,
              lensgpt_evp_pkey_ctx_set_ec_curve(parameters, NID_X9_62_prime256v1) == 1,
              EVP_PKEY_keygen(parameters, &key) == 1, let key else {
            throw failure("cannot generate a P-256 key")
        }
        return key
    }

    private static func fill(_ certificate: OpaquePointer, key: OpaquePointer, validityDays: Int) throws(TLSError) {
        let version3 = 2
        guard X509_set_version(certificate, version3) == 1 else { throw failure("X509_set_version failed") }
        try setRandomSerial(certificate)
        guard X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), validityDays * 86_400) != nil else {
            throw failure("cannot set the validity period")
        }
        guard let name = X509_get_subject_name(certificate),
              X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, "lens-gpt development", -1, -1, 0) == 1,
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1,
              X509_set_pubkey(certificate, key) == 1 else {
            throw failure("cannot set the subject, issuer or public key")
        }
        let alternativeNames = (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }).joined(separator: ",")
        // The subject key identifier comes before the authority one, which is derived from it.
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_alt_name, alternativeNames),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ]
        var v3 = X509V3_CTX()
        X509V3_set_ctx(&v3, certificate, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &v3, nid, value) else {
                throw failure("cannot build the \(String(cString: OBJ_nid2sn(nid))) extension")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(certificate, ext, -1) == 1 else { throw failure("cannot add an extension") }
        }
    }

    /// 128 random bits, positive, as RFC 5280 asks of serial numbers.
    private static func setRandomSerial(_ certificate: OpaquePointer) throws(TLSError) {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw failure("RAND_bytes failed") }
        bytes[0] &= 0x7F
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw failure("BN_bin2bn failed") }
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil else {
            throw failure("cannot set the serial number")
        }
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws(TLSError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("BIO_new failed") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw failure("cannot encode PEM") }
        var data: UnsafeMutablePointer<CChar>?
        let count = lensgpt_bio_get_mem_data(bio, &data)
        guard count > 0, let data else { throw failure("empty PEM output") }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }

    private static func failure(_ context: String) -> TLSError {
        TLSError.openSSL(TLSError.Code.devCertificate, context)
    }
}
