/// The image formats the service accepts, recognised by their bytes (never by name or declared type).
public enum ImageFormat: String, Sendable { case png, jpeg, webp }

/// Format and pixel size read from the first bytes of an image, without decoding it.
///
/// Bytes needed: PNG 24 (signature + IHDR), WebP 30 (RIFF header + first chunk header + frame
/// header), JPEG up to its first SOFn segment, which follows the APPn segments (EXIF thumbnails,
/// ICC profiles): usually a few KiB, at most `sniffLength` in what we accept. Every read is bounds
/// checked, so any input, truncated or hostile, gives nil rather than a crash.
public struct ImageHeader: Sendable, Equatable {
    public var format: ImageFormat
    public var width: Int
    public var height: Int

    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// How many leading bytes to buffer before calling `parse`: room for EXIF (≤ 64 KiB per APP1
    /// segment) plus an ICC profile segment before a JPEG's SOFn. Smaller files: pass them whole.
    public static let sniffLength = 128 * 1024

    public static func parse(_ bytes: [UInt8]) -> ImageHeader? {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// nil unless PNG, JPEG or WebP with a readable, non-zero size in the bytes given.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ImageHeader? {
        let r = ByteReader(bytes)
        let header: ImageHeader?
        if r.matches(0, pngSignature) {
            header = png(r)
        } else if r.u8(0) == 0xFF && r.u8(1) == 0xD8 {
            header = jpeg(r)
        } else if r.matches(0, riff) && r.matches(8, webpTag) {
            header = webp(r)
        } else {
            header = nil
        }
        guard let header, header.width > 0, header.height > 0 else { return nil }
        return header
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let riff: [UInt8] = Array("RIFF".utf8)
    static let webpTag: [UInt8] = Array("WEBP".utf8)

    /// IHDR must be the first chunk (PNG §5.6), 13 bytes long; sizes are at most 2^31 - 1.
    static func png(_ r: ByteReader) -> ImageHeader? {
        guard r.u32be(8) == 13, r.matches(12, Array("IHDR".utf8)),
              let w = r.u32be(16), let h = r.u32be(20), w <= 0x7FFF_FFFF, h <= 0x7FFF_FFFF
        else { return nil }
        return ImageHeader(format: .png, width: Int(w), height: Int(h))
    }

    /// Walks marker segments to the first SOFn; SOS or EOI first means there is no frame header.
    static func jpeg(_ r: ByteReader) -> ImageHeader? {
        var p = 2
        while true {
            guard r.u8(p) == 0xFF else { return nil }
            // Any number of 0xFF fill bytes may precede a marker (ITU T.81 B.1.1.2).
            while r.u8(p) == 0xFF { p += 1 }
            guard let marker = r.u8(p) else { return nil }
            p += 1
            switch marker {
            case 0x01, 0xD0 ... 0xD7:
                continue  // standalone markers carry no length
            case 0xD8, 0xD9, 0xDA:
                return nil
            case 0xC0 ... 0xC3, 0xC5 ... 0xC7, 0xC9 ... 0xCB, 0xCD ... 0xCF:
                // Lf(2) P(1) Y(2) X(2): height before width.
                guard let length = r.u16be(p), length >= 8, let h = r.u16be(p + 3), let w = r.u16be(p + 5) else { return nil }
                return ImageHeader(format: .jpeg, width: Int(w), height: Int(h))
            default:
                guard let length = r.u16be(p), length >= 2 else { return nil }
                p += Int(length)
            }
        }
    }

    static func webp(_ r: ByteReader) -> ImageHeader? {
        let chunk = 12, data = 20
        if r.matches(chunk, Array("VP8 ".utf8)) {
            // Lossy: 3-byte frame tag (bit 0 = 0 for a key frame), start code, 14-bit sizes.
            guard let tag = r.u8(data), tag & 1 == 0, r.matches(data + 3, [0x9D, 0x01, 0x2A]),
                  let w = r.u16le(data + 6), let h = r.u16le(data + 8) else { return nil }
            return ImageHeader(format: .webp, width: Int(w & 0x3FFF), height: Int(h & 0x3FFF))
        }
        if r.matches(chunk, Array("VP8L".utf8)) {
            // Lossless: signature 0x2F, then 14 bits width-1 and 14 bits height-1, little endian.
            guard r.u8(data) == 0x2F, let bits = r.u32le(data + 1) else { return nil }
            return ImageHeader(format: .webp, width: Int(bits & 0x3FFF) + 1, height: Int((bits >> 14) & 0x3FFF) + 1)
        }
        if r.matches(chunk, Array("VP8X".utf8)) {
            // Extended: flags(1) reserved(3), then 24-bit canvas width-1 and height-1.
            guard let w = r.u24le(data + 4), let h = r.u24le(data + 7) else { return nil }
            return ImageHeader(format: .webp, width: Int(w) + 1, height: Int(h) + 1)
        }
        return nil
    }
}

/// Bounds-checked reads: every accessor returns nil past the end instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func u8(_ i: Int) -> UInt8? { i >= 0 && i < bytes.count ? bytes[i] : nil }

    func matches(_ i: Int, _ pattern: [UInt8]) -> Bool {
        guard i >= 0, i <= bytes.count - pattern.count else { return false }
        for (k, b) in pattern.enumerated() where bytes[i + k] != b { return false }
        return true
    }

    func u16be(_ i: Int) -> UInt16? {
        guard let a = u8(i), let b = u8(i + 1) else { return nil }
        return UInt16(a) << 8 | UInt16(b)
    }

    func u16le(_ i: Int) -> UInt16? {
        guard let a = u8(i), let b = u8(i + 1) else { return nil }
        return UInt16(b) << 8 | UInt16(a)
    }

    func u24le(_ i: Int) -> UInt32? {
        guard let a = u8(i), let b = u8(i + 1), let c = u8(i + 2) else { return nil }
        return UInt32(c) << 16 | UInt32(b) << 8 | UInt32(a)
    }

    func u32be(_ i: Int) -> UInt32? {
        guard let hi = u16be(i), let lo = u16be(i + 2) else { return nil }
        return UInt32(hi) << 16 | UInt32(lo)
    }

    func u32le(_ i: Int) -> UInt32? {
        guard let lo = u16le(i), let hi = u16le(i + 2) else { return nil }
        return UInt32(hi) << 16 | UInt32(lo)
    }
}
