/// `%XX` decoding of URL paths and query components.
public enum PercentDecoding {
    /// The decoded text, or nil for a malformed escape or bytes that are not UTF-8.
    /// `plusAsSpace`: form encoding (query strings), where `+` stands for a space.
    public static func decode<S: StringProtocol>(_ text: S, plusAsSpace: Bool) -> String? {
        var out: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "%") {
                guard let hi = bytes.next(), let lo = bytes.next(),
                      let value = UInt8(String(decoding: [hi, lo], as: UTF8.self), radix: 16)
                else { return nil }
                out.append(value)
            } else {
                out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
