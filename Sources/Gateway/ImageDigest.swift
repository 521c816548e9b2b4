import TLS

/// The result id of an image: the lowercase hex SHA-256 of its bytes.
public enum ImageDigest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String { SHA256Hasher.hex(bytes) }
}
