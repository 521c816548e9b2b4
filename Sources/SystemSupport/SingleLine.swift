/// The one CR/LF sanitiser: a value that goes into a line-based field (an HTTP header, an SSE
/// field) can never end that line early, so it can never add a field, a header or a frame.
public enum SingleLine {
    /// Appends `text`'s bytes without CR, LF or NUL.
    public static func append(_ text: String, to out: inout [UInt8]) {
        if !text.utf8.contains(where: isBreak) {
            out.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 where !isBreak(byte) { out.append(byte) }
    }

    /// `text` without CR, LF or NUL (a header value handed to a C library as one line).
    public static func clean(_ text: String) -> String {
        isClean(text) ? text : String(decoding: text.utf8.filter { !isBreak($0) }, as: UTF8.self)
    }

    /// Whether `text` is already one line.
    public static func isClean(_ text: String) -> Bool { !text.utf8.contains(where: isBreak) }

    @inline(__always) static func isBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D || byte == 0 }
}
