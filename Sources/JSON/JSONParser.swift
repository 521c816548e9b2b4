/// A JSON parse failure with the byte offset where it was noticed.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Recursive-descent JSON parser over UTF-8 bytes.
///
/// `lenient` accepts what real web pages put in JSON-LD and app-state blobs: `//` and `/* */`
/// comments, trailing commas, raw control characters inside strings, and `NaN`/`undefined`
/// (read as null). Depth is bounded so hostile input cannot exhaust the stack.
public struct JSONParser {
    public struct Options: Sendable {
        public var lenient: Bool
        public var maxDepth: Int
        public init(lenient: Bool = false, maxDepth: Int = 256) {
            self.lenient = lenient
            self.maxDepth = maxDepth
        }
    }

    public static func parse(_ text: String, options: Options = Options()) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), options: options)
    }

    public static func parse(_ bytes: [UInt8], options: Options = Options()) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, options: options)
        parser.skipWhitespace()
        // A UTF-8 byte order mark is tolerated at the very start.
        if parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3; parser.skipWhitespace() }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if options.lenient { while parser.peek() == UInt8(ascii: ";") { parser.index += 1; parser.skipWhitespace() } }
        guard parser.index == parser.bytes.count else { throw parser.error("unexpected data after the value") }
        return value
    }

    private let bytes: [UInt8]
    private let options: Options
    private var index = 0

    private init(bytes: [UInt8], options: Options) {
        self.bytes = bytes
        self.options = options
    }

    private func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            case UInt8(ascii: "/") where options.lenient && index + 1 < bytes.count:
                if bytes[index + 1] == UInt8(ascii: "/") {
                    while index < bytes.count && bytes[index] != 0x0A { index += 1 }
                } else if bytes[index + 1] == UInt8(ascii: "*") {
                    index += 2
                    while index + 1 < bytes.count && !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                    index = min(index + 2, bytes.count)
                } else { return }
            case 0xC2 where options.lenient && index + 1 < bytes.count && bytes[index + 1] == 0xA0:
                index += 2  // no-break space, common in hand-written page JSON
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < options.maxDepth else { throw error("nested deeper than \(options.maxDepth)") }
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString(quote: byte))
        case UInt8(ascii: "'") where options.lenient: return .string(try parseString(quote: byte))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            if consume("true") { return .bool(true) }
            if consume("false") { return .bool(false) }
            if consume("null") { return .null }
            if options.lenient && (consume("NaN") || consume("undefined") || consume("Infinity")) { return .null }
            throw error("unexpected character")
        }
    }

    private mutating func consume(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { buffer in
            (0..<count).allSatisfy { bytes[index + $0] == buffer[$0] }
        }
        if matches { index += count }
        return matches
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return .object(object) }
        while true {
            skipWhitespace()
            if options.lenient && peek() == UInt8(ascii: "}") { index += 1; return .object(object) }
            guard let quote = peek(), quote == UInt8(ascii: "\"") || (options.lenient && quote == UInt8(ascii: "'")) else {
                throw error("expected a string key")
            }
            let key = try parseString(quote: quote)
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(object)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            if options.lenient && peek() == UInt8(ascii: "]") { index += 1; return .array(items) }
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while let b = peek(), b >= 0x30 && b <= 0x39 { index += 1 }
        guard index > digitsStart else { throw error("expected digits") }
        let integerEnd = index
        if !options.lenient && bytes[digitsStart] == 0x30 && index - digitsStart > 1 { throw error("leading zero") }
        if peek() == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while let b = peek(), b >= 0x30 && b <= 0x39 { index += 1 }
            guard index > fractionStart else { throw error("expected fraction digits") }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while let b = peek(), b >= 0x30 && b <= 0x39 { index += 1 }
            guard index > exponentStart else { throw error("expected exponent digits") }
        }
        // Lenient mode reads "007" and "00.5" (pages write them), but keeps the number as valid
        // JSON text: what it parsed must serialise to something a strict reader accepts.
        var firstDigit = digitsStart
        while firstDigit + 1 < integerEnd && bytes[firstDigit] == 0x30 { firstDigit += 1 }
        if firstDigit > digitsStart {
            return .number(String(decoding: bytes[start..<digitsStart] + bytes[firstDigit..<index], as: UTF8.self))
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func parseString(quote: UInt8) throws(JSONParseError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            index += 1
            if byte == quote { break }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek() else { throw error("unterminated escape") }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "'") where options.lenient: out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): try parseUnicodeEscape(into: &out)
                default:
                    guard options.lenient else { throw error("invalid escape") }
                    out.append(escaped)
                }
            } else if byte < 0x20 && !options.lenient {
                throw error("raw control character in string")
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseUnicodeEscape(into out: inout [UInt8]) throws(JSONParseError) {
        var code = try readHex4()
        if (0xD800...0xDBFF).contains(code), index + 6 <= bytes.count,
           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        {
            let save = index
            index += 2
            let low = try readHex4()
            if (0xDC00...0xDFFF).contains(low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
                index = save
            }
        }
        // Lone surrogates become U+FFFD rather than an error: page JSON has them.
        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
        out.append(contentsOf: String(scalar).utf8)
    }
}
