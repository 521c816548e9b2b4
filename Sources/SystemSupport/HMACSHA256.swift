import COpenSSL

/// HMAC-SHA256 through OpenSSL's EVP MAC interface.
public enum HMACSHA256 {
    /// Lowercase hex HMAC-SHA256 of `message` under `key`.
    public static func hex(key: [UInt8], message: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        _ = EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil, key, key.count, message, message.count, &digest, digest.count, &length)
        return Hex.lowercase(digest.prefix(length))
    }
}
