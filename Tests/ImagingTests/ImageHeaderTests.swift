import Imaging
import Testing

/// Tiny images written byte by byte: only the headers the sniffer reads need to be valid.
enum Fixtures {
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le24(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }

    static func png(width: Int, height: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + Array("IHDR".utf8)
            + be32(width) + be32(height) + [8, 6, 0, 0, 0] + [0, 0, 0, 0]  // depth, colour, ..., CRC (unchecked)
    }

    static func jpeg(width: Int, height: Int, sof: UInt8 = 0xC0, app1Length: Int = 100, fill: Bool = false) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        b += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0]  // APP0
        b += [0xFF, 0xE1, UInt8(app1Length >> 8), UInt8(app1Length & 0xFF)] + Array(repeating: 0x45, count: app1Length - 2)
        b += [0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00]  // a tiny DQT-shaped segment to skip
        if fill { b += [0xFF, 0xFF, 0xFF] }
        b += [0xFF, sof, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 3]
        b += Array(repeating: 0x11, count: 9)
        b += [0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9]
        return b
    }

    static func riff(_ chunk: String, _ payload: [UInt8]) -> [UInt8] {
        Array("RIFF".utf8) + le32(payload.count + 12) + Array("WEBP".utf8) + Array(chunk.utf8) + le32(payload.count) + payload
    }

    static func webpLossy(width: Int, height: Int) -> [UInt8] {
        riff("VP8 ", [0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A] + le16(width) + le16(height) + [0, 0])
    }

    static func webpLossless(width: Int, height: Int) -> [UInt8] {
        riff("VP8L", [0x2F] + le32((width - 1) | (height - 1) << 14) + [0, 0, 0])
    }

    static func webpExtended(width: Int, height: Int) -> [UInt8] {
        riff("VP8X", [0x10, 0, 0, 0] + le24(width - 1) + le24(height - 1))
    }
}

@Suite struct ImageHeaderTests {
    @Test func png() {
        #expect(ImageHeader.parse(Fixtures.png(width: 640, height: 480)) == ImageHeader(format: .png, width: 640, height: 480))
        #expect(ImageHeader.parse(Fixtures.png(width: 0, height: 480)) == nil)
        #expect(ImageHeader.parse(Fixtures.png(width: 1, height: 0x8000_0000)) == nil)
        var wrongChunk = Fixtures.png(width: 1, height: 1)
        wrongChunk[12] = 0x69  // "iHDR"
        #expect(ImageHeader.parse(wrongChunk) == nil)
    }

    @Test(arguments: [UInt8(0xC0), 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF])
    func jpegSOFn(_ sof: UInt8) {
        #expect(ImageHeader.parse(Fixtures.jpeg(width: 1024, height: 768, sof: sof)) == ImageHeader(format: .jpeg, width: 1024, height: 768))
    }

    @Test func jpegSkipsSegmentsAndFill() {
        // C4 (DHT), C8 (JPG) and CC (DAC) are not frame headers even though they are in the C0–CF range.
        for notSOF: UInt8 in [0xC4, 0xC8, 0xCC] {
            let b = Fixtures.jpeg(width: 10, height: 10, sof: notSOF)
            #expect(ImageHeader.parse(b) == nil)
        }
        #expect(ImageHeader.parse(Fixtures.jpeg(width: 3, height: 2, app1Length: 60000, fill: true)) == ImageHeader(format: .jpeg, width: 3, height: 2))
        #expect(Fixtures.jpeg(width: 3, height: 2, app1Length: 60000).count < ImageHeader.sniffLength)
        #expect(ImageHeader.parse(Fixtures.jpeg(width: 0, height: 2)) == nil)  // DNL-defined height: no size here
        #expect(ImageHeader.parse([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]) == nil)  // scan before any frame
        #expect(ImageHeader.parse([0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01]) == nil)  // segment length below 2
    }

    @Test func webp() {
        #expect(ImageHeader.parse(Fixtures.webpLossy(width: 550, height: 368)) == ImageHeader(format: .webp, width: 550, height: 368))
        #expect(ImageHeader.parse(Fixtures.webpLossless(width: 16383, height: 1)) == ImageHeader(format: .webp, width: 16383, height: 1))
        #expect(ImageHeader.parse(Fixtures.webpExtended(width: 1 << 24, height: 3)) == ImageHeader(format: .webp, width: 1 << 24, height: 3))
        #expect(ImageHeader.parse(Fixtures.webpLossy(width: 0, height: 3)) == nil)
        #expect(ImageHeader.parse(Fixtures.riff("VP8Z", Array(repeating: 1, count: 20))) == nil)
        var badStart = Fixtures.webpLossy(width: 5, height: 5)
        badStart[23] = 0
        #expect(ImageHeader.parse(badStart) == nil)
    }

    /// Every prefix of every fixture is either nil or the full answer, never a crash or a wrong size.
    @Test func truncatedPrefixes() {
        let fixtures = [Fixtures.png(width: 7, height: 9), Fixtures.jpeg(width: 7, height: 9), Fixtures.webpLossy(width: 7, height: 9),
                        Fixtures.webpLossless(width: 7, height: 9), Fixtures.webpExtended(width: 7, height: 9)]
        for image in fixtures {
            let full = ImageHeader.parse(image)
            #expect(full?.width == 7 && full?.height == 9)
            for n in 0 ..< image.count {
                let prefix = ImageHeader.parse(Array(image[..<n]))
                #expect(prefix == nil || prefix == full)
            }
        }
        #expect(ImageHeader.parse(Array(Fixtures.png(width: 1, height: 1).prefix(23))) == nil)
    }

    @Test func garbage() {
        #expect(ImageHeader.parse([]) == nil)
        #expect(ImageHeader.parse(Array("GIF89a\u{1}\0\u{1}\0".utf8)) == nil)
        #expect(ImageHeader.parse(Array("<html><body>not an image</body></html>".utf8)) == nil)
        // A deterministic pseudo-random walk over byte soup with each magic prefix: must never trap.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for prefix in [[0xFF, 0xD8], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("RIFF\0\0\0\0WEBP".utf8)] as [[UInt8]] {
            for length in 0 ..< 200 {
                var b = prefix
                for _ in 0 ..< length {
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    b.append(UInt8(truncatingIfNeeded: seed >> 56))
                }
                _ = ImageHeader.parse(b)
            }
        }
    }
}
