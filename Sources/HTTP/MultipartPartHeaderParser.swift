/// A part's header section and its Content-Disposition / Content-Type parameters (RFC 7578 §4.2).
enum MultipartPartHeaderParser {
    /// `section` is the header lines, each ending in CRLF (empty when the part has no headers).
    /// Returns nil for a part without `Content-Disposition: form-data`, which the parser skips.
    static func parse(_ section: ArraySlice<UInt8>, limits: MultipartLimits) throws(MultipartError) -> MultipartPartHead? {
        var fields: [(name: [UInt8], value: [UInt8])] = []
        var lineStart = section.startIndex
        while lineStart < section.endIndex {
            // Every line ends in CRLF (the byte loop guarantees CR is followed by LF).
            guard let cr = section[lineStart...].firstIndex(of: 0x0D) else { break }
            let line = section[lineStart ..< cr]
            lineStart = cr + 2
            if let first = line.first, first == 0x20 || first == 0x09 {
                // obs-fold (RFC 5322 folding, which part headers inherit): continues the last value.
                guard !fields.isEmpty else { throw MultipartError("part header starts with whitespace") }
                fields[fields.count - 1].value += [0x20] + trim(line)
                try checkValue(fields[fields.count - 1].value)
                continue
            }
            guard let colonIndex = line.firstIndex(of: 0x3A) else {
                throw MultipartError("malformed part header line (no colon)")
            }
            let name = line[line.startIndex ..< colonIndex]
            guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isToken) else {
                throw MultipartError("invalid part header name")
            }
            let value = trim(line[(colonIndex + 1)...])
            try checkValue(value)
            fields.append((Array(name), value))
            if fields.count > limits.maxHeadersPerPart {
                throw MultipartError("more than \(limits.maxHeadersPerPart) headers in a part")
            }
        }
        var headers = HTTPHeaders()
        for f in fields {
            headers.add(String(decoding: f.name, as: UTF8.self), String(decoding: f.value, as: UTF8.self))
        }
        guard let disposition = fields.first(where: { HTTPSyntax.equalsIgnoringCase($0.name, contentDisposition) }),
              let parsed = MultipartHeaderValue.parse(disposition.value),
              parsed.type == "form-data"
        else { return nil }
        let name = parsed.param("name").map { String(decoding: $0, as: UTF8.self) }
        var filename = parsed.param("filename*").flatMap(MultipartHeaderValue.decodeExtValue)
        if filename == nil { filename = parsed.param("filename").map { String(decoding: $0, as: UTF8.self) } }
        return MultipartPartHead(headers: headers, name: name, filename: filename, contentType: headers["Content-Type"])
    }

    static let contentDisposition: [UInt8] = Array("content-disposition".utf8)

    static func checkValue(_ value: [UInt8]) throws(MultipartError) {
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw MultipartError("control character in a part header value")
        }
    }

    static func trim(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var t = s
        while let f = t.first, f == 0x20 || f == 0x09 { t.removeFirst() }
        while let l = t.last, l == 0x20 || l == 0x09 { t.removeLast() }
        return Array(t)
    }
}

/// `type; name=value; name="quoted"` header values (Content-Type, Content-Disposition).
struct MultipartHeaderValue {
    var type: String
    var params: [(name: String, value: [UInt8])]

    /// The first parameter of that (lowercase) name.
    func param(_ name: String) -> [UInt8]? { params.first { $0.name == name }?.value }

    /// Lenient about whitespace around `;` and `=`; nil when the type is missing or a quote is unclosed.
    static func parse(_ v: [UInt8]) -> MultipartHeaderValue? {
        var i = 0
        func skipOWS() { while i < v.count, v[i] == 0x20 || v[i] == 0x09 { i += 1 } }
        skipOWS()
        let typeStart = i
        while i < v.count, v[i] != 0x3B { i += 1 }
        let type = MultipartPartHeaderParser.trim(v[typeStart ..< i])
        guard !type.isEmpty else { return nil }
        var result = MultipartHeaderValue(type: String(decoding: type, as: UTF8.self).lowercased(), params: [])
        while i < v.count {
            i += 1  // the ';'
            skipOWS()
            let nameStart = i
            while i < v.count, v[i] != 0x3D, v[i] != 0x3B { i += 1 }
            let name = String(decoding: MultipartPartHeaderParser.trim(v[nameStart ..< i]), as: UTF8.self).lowercased()
            guard i < v.count, v[i] == 0x3D else { continue }  // a bare `; flag` has no value
            i += 1
            skipOWS()
            var value: [UInt8] = []
            if i < v.count, v[i] == 0x22 {
                i += 1
                var closed = false
                while i < v.count {
                    let b = v[i]
                    // Only \" and \\ are undone: browsers do not escape, and IE sends raw C:\paths.
                    if b == 0x5C, i + 1 < v.count, v[i + 1] == 0x22 || v[i + 1] == 0x5C {
                        value.append(v[i + 1])
                        i += 2
                        continue
                    }
                    // Old browsers (Firefox 3.6, IE) send a filename's `"` unescaped, so a quote only
                    // closes the value when nothing but whitespace stands before the next `;` or the end.
                    if b == 0x22 && closesQuotedValue(v, after: i) {
                        closed = true
                        i += 1
                        break
                    }
                    value.append(b)
                    i += 1
                }
                guard closed else { return nil }
                while i < v.count, v[i] != 0x3B { i += 1 }
            } else {
                let valueStart = i
                while i < v.count, v[i] != 0x3B { i += 1 }
                value = MultipartPartHeaderParser.trim(v[valueStart ..< i])
            }
            if !name.isEmpty { result.params.append((name, value)) }
        }
        return result
    }

    static func closesQuotedValue(_ v: [UInt8], after quote: Int) -> Bool {
        var j = quote + 1
        while j < v.count, v[j] == 0x20 || v[j] == 0x09 { j += 1 }
        return j == v.count || v[j] == 0x3B
    }

    /// RFC 8187 ext-value `charset'language'pct-encoded`; UTF-8 and ISO-8859-1 only, else nil.
    static func decodeExtValue(_ v: [UInt8]) -> String? {
        let pieces = v.split(separator: 0x27, maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = String(decoding: pieces[0], as: UTF8.self).lowercased()
        var bytes: [UInt8] = []
        var i = pieces[2].startIndex
        let s = pieces[2]
        while i < s.endIndex {
            if s[i] == 0x25 {
                guard i + 2 < s.endIndex, let h = HTTPSyntax.hexValue(s[i + 1]), let l = HTTPSyntax.hexValue(s[i + 2]) else {
                    return nil
                }
                bytes.append(UInt8(h * 16 + l))
                i += 3
            } else {
                bytes.append(s[i])
                i += 1
            }
        }
        switch charset {
        case "utf-8": return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1": return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default: return nil
        }
    }
}
