/// Turns raw input bytes into HTML bytes: enforces the size limit, un-gzips, and refuses
/// binary data (an image or archive passed by mistake) with a clear error.
public enum HTMLInput {
    public static func decode(_ bytes: [UInt8], limits: ExtractionLimits = ExtractionLimits()) throws -> [UInt8] {
        guard bytes.count <= limits.maxInputBytes else { throw ExtractionError.tooLarge(limits.maxInputBytes) }
        var html = bytes
        if bytes.starts(with: [0x1F, 0x8B]) {
            html = try Gzip.decompress(bytes, maxOutput: limits.maxInputBytes)
        }
        if html.starts(with: [0xFF, 0xFE]) || html.starts(with: [0xFE, 0xFF]) {
            throw ExtractionError(.binaryInput, "input is UTF-16 text; only UTF-8 and 8-bit encodings are read")
        }
        if let reason = binaryReason(html) {
            throw ExtractionError(.binaryInput, "input looks binary, not HTML (\(reason))")
        }
        return html
    }

    /// NUL bytes never occur in HTML; many other control bytes mean an image or archive.
    static func binaryReason(_ bytes: [UInt8]) -> String? {
        if bytes.contains(0) { return "it contains NUL bytes" }
        let sample = bytes.prefix(8192)
        let controls = sample.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C }.count
        if !sample.isEmpty, controls * 20 > sample.count { return "\(controls) control bytes in the first \(sample.count)" }
        return nil
    }
}
