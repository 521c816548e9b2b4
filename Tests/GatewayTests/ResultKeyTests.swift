import Gateway
import Pipeline
import Testing

/// One result per image and locale: the id the gateway gives an upload.
@Suite struct ResultKeyTests {
    @Test func theDefaultLocaleKeepsTheDigestAndEveryOtherLocaleHasItsOwnID() {
        let digest = ImageDigest.sha256Hex(Array("a photo".utf8))
        let usEnglish = RunLocale(country: "US", language: "en")
        #expect(ImageDigest.resultID(digest: digest, locale: usEnglish, defaultLocale: usEnglish) == digest)
        let ids = [RunLocale(country: "DE", language: "de"), RunLocale(country: "DE", language: "en"), RunLocale(country: "US", language: "de")]
            .map { ImageDigest.resultID(digest: digest, locale: $0, defaultLocale: usEnglish) }
        #expect(Set(ids + [digest]).count == 4, "country and language each change the id")
        // Still an id the routes accept: 64 lowercase hex digits.
        #expect(ids.allSatisfy { $0.utf8.count == 64 && $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } })
        // Stable: the same image and locale always meet the same result.
        #expect(ids[0] == ImageDigest.resultID(digest: digest, locale: RunLocale(country: "DE", language: "de"), defaultLocale: usEnglish))
    }
}
