import Foundation

/// One test of llhttp's markdown fixtures, read as `llhttp/FORMAT.md` describes.
struct LLHTTPCase {
    var key: String  // "file.md: heading" (+ " #n" when a heading repeats in a file)
    var type: String
    var input: [UInt8]
    var expected: [ParsedMessage]
    /// The log ends with an error other than llhttp's upgrade pause.
    var expectsError: Bool
    var errorLine: String?
    /// The log ends with "Pause on CONNECT/Upgrade": parsing stops there, it is not an error.
    var upgradePause: Bool
}

enum LLHTTPCorpus {
    static func load(_ dir: URL) throws -> [LLHTTPCase] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") }.sorted()
        var cases: [LLHTTPCase] = []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            cases += parseFile(file, text)
        }
        return cases
    }

    static func parseFile(_ file: String, _ text: String) -> [LLHTTPCase] {
        var cases: [LLHTTPCase] = []
        var heading = ""
        var seen: [String: Int] = [:]
        var meta: String?
        var httpBlock: [String]?
        var block: [String]?
        var blockKind = ""
        for line in text.components(separatedBy: "\n") {
            if var b = block {
                if line == "```" {
                    if blockKind == "http" {
                        httpBlock = b
                    } else if blockKind == "log", let h = httpBlock, let m = meta {
                        var key = "\(file): \(heading)"
                        seen[key, default: 0] += 1
                        if let n = seen[key], n > 1 { key += " #\(n)" }
                        cases.append(makeCase(key: key, meta: m, http: h, log: b))
                        httpBlock = nil
                        meta = nil
                    }
                    block = nil
                } else {
                    b.append(line)
                    block = b
                }
                continue
            }
            if line.hasPrefix("#") {
                heading = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("<!-- meta=") {
                meta = line
            } else if line.hasPrefix("```") {
                blockKind = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                block = []
            }
        }
        return cases
    }

    static func makeCase(key: String, meta: String, http: [String], log: [String]) -> LLHTTPCase {
        let type = metaType(meta)
        let input = normalise(http)
        var messages: [ParsedMessage] = []
        var field: [UInt8] = []
        var value: [UInt8] = []
        var expectsError = false
        var upgradePause = false
        var errorLine: String?
        var inTrailers = false
        func span(_ line: String) -> [UInt8] {
            guard let off = number(after: "off=", in: line), let len = number(after: "len=", in: line),
                  off >= 0, len >= 0, off + len <= input.count else { return [] }
            return Array(input[off ..< off + len])
        }
        for line in log {
            if line.hasPrefix("/") { continue }  // regex lines match callbacks we do not compare
            if line.contains(" message begin") {
                messages.append(ParsedMessage())
                inTrailers = false
            } else if messages.isEmpty {
                if line.contains(" error ") {
                    expectsError = true
                    errorLine = line
                }
                continue
            } else if line.contains("span[method]") {
                messages[messages.count - 1].method += String(decoding: span(line), as: UTF8.self)
            } else if line.contains("span[url]") {
                messages[messages.count - 1].target += String(decoding: span(line), as: UTF8.self)
            } else if line.contains("span[header_field]") {
                field += span(line)
            } else if line.contains("span[header_value]") {
                value += span(line)
            } else if line.contains("headers complete") {
                inTrailers = true
            } else if line.hasSuffix("header_value complete") {
                // Trailer fields are validated and dropped by our parser (there is no trailer event).
                // Trailing OWS is not part of a field value (RFC 9110 §5.5), llhttp's span keeps it.
                if !inTrailers {
                    while let l = value.last, l == 0x20 || l == 0x09 { value.removeLast() }
                    messages[messages.count - 1].headers += [field, value]
                }
                field = []
                value = []
            } else if line.contains("span[body]") {
                messages[messages.count - 1].body += span(line)
            } else if line.hasSuffix("message complete") {
                messages[messages.count - 1].complete = true
            } else if line.contains(" error ") {
                if line.contains("code=22 ") { upgradePause = true } else {
                    expectsError = true
                    errorLine = line
                }
            }
        }
        // llhttp reports "message begin" for a message whose head later fails; we never emit a head
        // for it, so only messages that reached "headers complete" are comparable.
        let headed = log.filter { $0.contains("headers complete") }.count
        if messages.count > headed { messages.removeLast(messages.count - headed) }
        return LLHTTPCase(key: key, type: type, input: input, expected: messages,
                          expectsError: expectsError, errorLine: errorLine, upgradePause: upgradePause)
    }

    static func metaType(_ meta: String) -> String {
        guard let r = meta.range(of: "\"type\"") else { return "" }
        let rest = meta[r.upperBound...].drop(while: { $0 == ":" || $0 == " " || $0 == "\"" })
        return String(rest.prefix(while: { $0 != "\"" }))
    }

    static func number(after prefix: String, in line: String) -> Int? {
        guard let r = line.range(of: prefix) else { return nil }
        return Int(line[r.upperBound...].prefix(while: { $0.isNumber }))
    }

    /// FORMAT.md: drop the final newline, join backslash-continued lines, newline → CRLF, then escapes.
    static func normalise(_ lines: [String]) -> [UInt8] {
        var joined = ""
        var i = 0
        while i < lines.count {
            var line = lines[i]
            if line.hasSuffix("\\") {
                line.removeLast()
                joined += line
            } else {
                joined += line
                if i < lines.count - 1 { joined += "\r\n" }
            }
            i += 1
        }
        let s = Array(joined.utf8)
        var out: [UInt8] = []
        var k = 0
        while k < s.count {
            let c = s[k]
            guard c == 0x5C, k + 1 < s.count else {
                out.append(c)
                k += 1
                continue
            }
            let e = s[k + 1]
            switch e {
            case UInt8(ascii: "r"): out.append(0x0D); k += 2
            case UInt8(ascii: "n"): out.append(0x0A); k += 2
            case UInt8(ascii: "t"): out.append(0x09); k += 2
            case UInt8(ascii: "f"): out.append(0x0C); k += 2
            case UInt8(ascii: "x"):
                var j = k + 2, v = 0
                while j < s.count, j < k + 4, let d = hexDigit(s[j]) { v = v * 16 + d; j += 1 }
                if j == k + 2 { out.append(c); k += 1 } else { appendScalar(v, &out); k = j }
            case UInt8(ascii: "0") ... UInt8(ascii: "7"):
                var j = k + 1, v = 0
                while j < s.count, j < k + 4, s[j] >= 0x30, s[j] <= 0x37 { v = v * 8 + Int(s[j] - 0x30); j += 1 }
                appendScalar(v, &out)
                k = j
            default:
                out.append(c)
                k += 1
            }
        }
        return out
    }

    /// llhttp's test runner turns escapes into characters of a JS string and feeds its UTF-8
    /// encoding, so `\xff` is the two bytes C3 BF on the wire (its logged offsets count them so).
    static func appendScalar(_ v: Int, _ out: inout [UInt8]) {
        if v < 0x80 { out.append(UInt8(v)); return }
        out += Array(String(Character(Unicode.Scalar(UInt8(truncatingIfNeeded: v)))).utf8)
    }
}
