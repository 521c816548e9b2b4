import HTTP
/// `{{name}}` substitution in the replica's page templates (values are inserted as given:
/// callers escape them for where they go).
enum PageTemplate {
    static func render(_ template: [UInt8], _ values: [String: String]) -> [UInt8] {
        var text = String(decoding: template, as: UTF8.self)
        for (name, value) in values {
            text = text.replacing("{{\(name)}}", with: value)
        }
        return Array(text.utf8)
    }
}

enum Escape {
    private static let htmlEntities: [Character: String] = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"]

    static func html(_ text: String) -> String {
        var out = ""
        for c in text {
            if let entity = htmlEntities[c] { out += entity } else { out.append(c) }
        }
        return out
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }

    /// `name=value&...` pairs, decoded.
    static func form<S: StringProtocol>(_ text: S?) -> [(String, String)] {
        guard let text else { return [] }
        return text.split(separator: "&").compactMap { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(kv[0], plusAsSpace: true) else { return nil }
            return (name, kv.count > 1 ? (PercentDecoding.decode(kv[1], plusAsSpace: true) ?? "") : "")
        }
    }

    /// Serialised JSON made safe inside a `<script>` element: `<` only occurs inside JSON
    /// strings, where `\u003c` means the same, so no `</script>` can end the element early.
    static func scriptJSON(_ json: String) -> String {
        json.replacing("<", with: "\\u003c")
    }

    private static let scriptEscapes: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "<": "\\u003c", "\n": "\\n", "\r": "\\r"]

    /// JSON string literal for embedding in a `<script>` (also breaks `</script>`).
    static func scriptString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if let escaped = scriptEscapes[scalar] {
                out += escaped
            } else if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
