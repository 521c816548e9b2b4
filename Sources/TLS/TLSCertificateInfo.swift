import COpenSSL

/// What a person needs to tell certificates apart in a log line ("reloaded: CN=…, serial …,
/// valid until …") and what tests check after a reload.
public struct TLSCertificateInfo: Sendable, Equatable, CustomStringConvertible {
    /// RFC 2253 form, e.g. `CN=localhost,O=lens-gpt development`.
    public let subject: String
    /// Upper-case hexadecimal.
    public let serialNumber: String
    /// As OpenSSL prints it, e.g. `Nov 26 00:57:00 2026 GMT`.
    public let notAfter: String
    /// As OpenSSL prints them, e.g. `DNS:localhost`, `IP Address:127.0.0.1`.
    public let subjectAlternativeNames: [String]

    public var description: String {
        "\(subject), serial \(serialNumber), valid until \(notAfter)"
    }

    /// Reads from a certificate the caller keeps ownership of.
    init(x509: OpaquePointer) {
        subject = Self.printed { bio in
            X509_NAME_print_ex(bio, X509_get_subject_name(x509), 0, lensgpt_xn_flag_rfc2253())
        }
        notAfter = Self.printed { bio in ASN1_TIME_print(bio, X509_get0_notAfter(x509)) }
        serialNumber = Self.hexSerial(x509)
        let index = X509_get_ext_by_NID(x509, NID_subject_alt_name, -1)
        if index >= 0, let extensionValue = X509_get_ext(x509, index) {
            let printed = Self.printed { bio in X509V3_EXT_print(bio, extensionValue, 0, 0) }
            subjectAlternativeNames = printed.split(separator: ",").map {
                String($0.drop { $0 == " " })
            }
        } else {
            subjectAlternativeNames = []
        }
        OpenSSLErrorQueue.clear()
    }

    private static func hexSerial(_ x509: OpaquePointer) -> String {
        guard let number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nil) else { return "" }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "" }
        defer { CRYPTO_free(hex, #fileID, #line) }
        return String(cString: hex)
    }

    private static func printed(_ write: (OpaquePointer?) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        _ = write(bio)
        var data: UnsafeMutablePointer<CChar>?
        let count = lensgpt_bio_get_mem_data(bio, &data)
        guard count > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
    }
}
