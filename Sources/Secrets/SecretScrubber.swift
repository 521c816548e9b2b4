import Glibc
import JSON
import Synchronization

/// Takes every secret lens-gpt knows out of text before it leaves the process. One registry:
/// the values of the settings `SecretSettings` declares (and any registered at run time, such as
/// the photo URLs' signing key), plus the URL parts that carry credentials by their shape
/// (`api_key=`, `sig=`, `…token=` query values and a URL's userinfo). Applied where events enter a
/// result, in `/readyz` and `/metrics`, in diagnostics files and in the logger.
public final class SecretScrubber: Sendable {
    /// The process's registry.
    public static let shared = SecretScrubber()
    public static let replacement = "REDACTED"
    /// Shorter values are not registered: scrubbing them would mangle ordinary text.
    public static let minimumLength = 4

    /// Longest first, so a secret that contains another is replaced whole.
    private let values = Mutex<[String]>([])

    public init() {}

    /// Scrubs `value` (and its percent-encoded form, as it appears in URLs) from now on.
    public func register(_ value: String) {
        let trimmed = String(value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard trimmed.utf8.count >= SecretScrubber.minimumLength else { return }
        let forms = Set([trimmed, SecretScrubber.percentEncoded(trimmed)])
        values.withLock { list in
            for form in forms where !list.contains(form) { list.append(form) }
            list.sort { $0.utf8.count > $1.utf8.count }
        }
    }

    /// Stops scrubbing a value that no longer grants anything (a replaced short-lived token), so
    /// the registry does not grow with every renewal.
    public func unregister(_ value: String) {
        let forms = Set([value, SecretScrubber.percentEncoded(value)])
        values.withLock { list in list.removeAll { forms.contains($0) } }
    }

    /// Registers the secret parts of a setting's value, by the setting's shape.
    public func register(_ value: String, as setting: SecretSetting) {
        switch setting.shape {
        case .whole:
            register(value)
        case .cookieList:
            register(value)
            for pair in value.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                register(String(pair[pair.index(after: equals)...]))
            }
        case .urlPassword:
            guard let scheme = value.firstRange(of: "://") else { return }
            let authority = value[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            guard let at = authority.lastIndex(of: "@") else { return }
            let userinfo = authority[..<at]
            register(String(userinfo.firstIndex(of: ":").map { userinfo[userinfo.index(after: $0)...] } ?? userinfo))
        }
    }

    /// Registers every declared setting's value found in the environment (once, at startup).
    public func registerEnvironment() {
        for setting in SecretSettings.all {
            guard let raw = getenv(setting.variable) else { continue }
            register(String(cString: raw), as: setting)
        }
    }

    public var isEmpty: Bool { values.withLock { $0.isEmpty } }

    /// `text` with every secret replaced by `REDACTED`.
    public func scrub(_ text: String) -> String {
        var out = SecretScrubber.redactingURLCredentials(text)
        for value in values.withLock({ $0 }) where out.contains(value) {
            out = out.replacing(value, with: SecretScrubber.replacement)
        }
        return out
    }

    /// Every string in `value` scrubbed (object keys are the program's, not data).
    public func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(scrub(text))
        case .array(let items): return .array(items.map(scrub))
        case .object(let object): return .object(JSONObject(object.entries.map { ($0.key, scrub($0.value)) }))
        case .null, .bool, .number: return value
        }
    }

    // MARK: - Credentials recognised by their place in a URL

    /// The values of secret query parameters (`?api_key=…`, `&sig=…`, `token=…`) and the userinfo
    /// of URLs (`redis://:PASS@host`) replaced, wherever they stand in the text.
    static func redactingURLCredentials(_ text: String) -> String {
        let bytes = Array(text.utf8)
        // Fast path: nothing that could start a parameter value or a userinfo.
        guard bytes.contains(UInt8(ascii: "=")) || bytes.contains(UInt8(ascii: "@")) || bytes.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        while i < bytes.count {
            let byte = bytes[i]
            // `name=value`, or `name%3Dvalue` in a URL nested in another's query (a photo URL in `url=`).
            let encoded = byte == UInt8(ascii: "%") && i + 2 < bytes.count && bytes[i + 1] == UInt8(ascii: "3")
                && (bytes[i + 2] | 0x20) == UInt8(ascii: "d")
            if byte == UInt8(ascii: "=") || encoded, let nameStart = parameterNameStart(bytes, before: i),
               isSecretName(bytes[nameStart..<i]) {
                let valueStart = i + (encoded ? 3 : 1)
                out.append(contentsOf: bytes[i..<valueStart])
                var end = valueStart
                while end < bytes.count && !isValueEnd(bytes[end]) && !(encoded && bytes[end] == UInt8(ascii: "%")) { end += 1 }
                if end > valueStart {
                    out.append(contentsOf: replacement.utf8)
                    changed = true
                }
                i = end
                continue
            }
            if byte == UInt8(ascii: ":"), i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"), bytes[i + 2] == UInt8(ascii: "/") {
                out.append(contentsOf: bytes[i...(i + 2)])
                i += 3
                var end = i
                while end < bytes.count && !isAuthorityEnd(bytes[end]) { end += 1 }
                if let at = bytes[i..<end].lastIndex(of: UInt8(ascii: "@")), at > i {
                    out.append(contentsOf: replacement.utf8)
                    i = at
                    changed = true
                }
                continue
            }
            out.append(byte)
            i += 1
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    /// Where the name before `=` at `equals` starts, when a query separator (or the text's start,
    /// or a space) precedes it.
    private static func parameterNameStart(_ bytes: [UInt8], before equals: Int) -> Int? {
        var start = equals
        while start > 0 && isNameByte(bytes[start - 1]) { start -= 1 }
        guard start < equals else { return nil }
        return start
    }

    private static func isSecretName(_ name: ArraySlice<UInt8>) -> Bool {
        let text = String(decoding: name, as: UTF8.self)
        let decoded = text.contains("%") ? percentDecoded(text) : text
        // Encoded separators (`%26sig`) were walked over as name bytes: the name is what follows the last.
        let name = decoded.split(omittingEmptySubsequences: false) { "&?=/;".contains($0) }.last ?? ""
        return SecretSettings.isSecretParameter(name.lowercased())
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: "%") || b == UInt8(ascii: ".")
    }

    private static func isValueEnd(_ b: UInt8) -> Bool {
        b <= 0x20 || b == UInt8(ascii: "&") || b == UInt8(ascii: "#") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
            || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: ")") || b == UInt8(ascii: ";")
            || b == UInt8(ascii: ",") || b == UInt8(ascii: "`")
    }

    private static func isAuthorityEnd(_ b: UInt8) -> Bool {
        b <= 0x20 || b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") || b == UInt8(ascii: "\"")
            || b == UInt8(ascii: "'") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "`")
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if unreserved {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// `%XX` escapes decoded (a malformed one kept as written).
    static func percentDecoded(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
