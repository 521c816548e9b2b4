import Pipeline
import SystemSupport

/// The result id of an image: the lowercase hex SHA-256 of its bytes.
public enum ImageDigest {
    public static func sha256Hex(_ bytes: [UInt8]) -> String { SHA256Hasher.hex(bytes) }

    /// The result id of an image asked about for `locale`: the country and language change the
    /// answer (currency, marketplaces, Lens's locale), so each has its own result, replay and
    /// single flight. The deployment's default locale keeps the image digest itself as the id;
    /// any other is the SHA-256 of the digest and the locale (still 64 hex digits).
    public static func resultID(digest: String, locale: RunLocale, defaultLocale: RunLocale) -> String {
        guard locale != defaultLocale else { return digest }
        return sha256Hex(Array("lens-gpt result \(digest) \(locale.country) \(locale.language)".utf8))
    }
}
