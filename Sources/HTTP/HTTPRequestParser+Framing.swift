/// How a request head's fields decide body framing, persistence and 100-continue (RFC 9112 §6, §9.3).
extension HTTPRequestParser {
    static func framing(_ headers: HTTPHeaders, limits: HTTPParserLimits) throws -> HTTPBodyFraming {
        let codings = headers.values("Transfer-Encoding")
        let lengths = headers.values("Content-Length")
        if !codings.isEmpty {
            // Both framings at once is the classic request-smuggling shape (RFC 9112 §6.3 item 3).
            if !lengths.isEmpty {
                throw HTTPParseError(.badRequest, "Transfer-Encoding and Content-Length together")
            }
            let list = codings.flatMap { $0.split(separator: ",") }
                .map { HTTPSyntax.trimOWS($0).lowercased() }
                .filter { !$0.isEmpty }
            // A request whose final coding is not chunked has no knowable length (§6.3 item 4).
            guard list.last == "chunked" else {
                throw HTTPParseError(.badRequest, "Transfer-Encoding must end with chunked")
            }
            if list.dropLast().contains("chunked") {
                throw HTTPParseError(.badRequest, "chunked applied more than once")
            }
            if list.count > 1 {
                throw HTTPParseError(.notImplemented, "transfer coding \(list[0]) not implemented")
            }
            return .chunked
        }
        guard let first = lengths.first else { return .none }
        let length = try contentLength(first)
        // Repeated fields must agree (RFC 9110 §8.6); a list value is not digits and fails above.
        for other in lengths.dropFirst() where try contentLength(other) != length {
            throw HTTPParseError(.badRequest, "conflicting Content-Length values")
        }
        if let max = limits.maxBodyBytes, length > max {
            throw HTTPParseError(.bodyTooLarge, "Content-Length \(length) above the limit of \(max) bytes")
        }
        return .length(length)
    }

    static func contentLength(_ value: String) throws -> Int {
        try contentLength(value.utf8)
    }

    static func contentLength<C: Collection<UInt8>>(_ value: C) throws -> Int {
        guard !value.isEmpty else { throw HTTPParseError(.badRequest, "empty Content-Length") }
        var n = 0
        for b in value {
            guard b >= 0x30 && b <= 0x39 else { throw HTTPParseError(.badRequest, "invalid Content-Length") }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b - 0x30))
            if o1 || o2 { throw HTTPParseError(.badRequest, "Content-Length overflow") }
            n = s
        }
        return n
    }

    /// HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive` (RFC 9112 §9.3).
    static func keepAlive(_ headers: HTTPHeaders, minor: Int) -> Bool {
        var close = false, keep = false
        for value in headers.values("Connection") {
            for token in value.split(separator: ",") {
                let t = HTTPSyntax.trimOWS(token)
                if t.lowercasedASCIIEquals("close") { close = true }
                if t.lowercasedASCIIEquals("keep-alive") { keep = true }
            }
        }
        if close { return false }
        return minor >= 1 || keep
    }

    static func expectsContinue(_ headers: HTTPHeaders) -> Bool {
        headers.values("Expect").contains { HTTPSyntax.trimOWS($0[...]).lowercasedASCIIEquals("100-continue") }
    }
}

/// Byte classes and tables of RFC 9110/9112 syntax, shared by the request and multipart parsers.
enum HTTPSyntax {
    static let httpSlash: [UInt8] = Array("HTTP/".utf8)
    static let maxMethodLength = 16
    static let contentLength: [UInt8] = Array("content-length".utf8)

    /// ASCII case-insensitive equality with an already lowercase pattern.
    static func equalsIgnoringCase<C: Collection<UInt8>>(_ bytes: C, _ lower: [UInt8]) -> Bool {
        bytes.count == lower.count && zip(bytes, lower).allSatisfy { a, b in
            (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b
        }
    }

    /// llhttp's HTTP method table (without PRI, which only opens HTTP/2). Anything else is 501.
    static let knownMethods: [[UInt8]] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY",
        "COPY", "LOCK", "MKCOL", "MOVE", "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK", "BIND", "REBIND",
        "UNBIND", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE", "M-SEARCH", "NOTIFY", "SUBSCRIBE",
        "UNSUBSCRIBE", "PURGE", "MKCALENDAR", "LINK", "UNLINK", "SOURCE",
    ].map { Array($0.utf8) }

    /// tchar (RFC 9110 §5.6.2).
    @inline(__always)
    static func isToken(_ b: UInt8) -> Bool {
        switch b {
        case 0x30 ... 0x39, 0x41 ... 0x5A, 0x61 ... 0x7A: return true
        case 0x21, 0x23 ... 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    /// field-vchar, SP, HTAB and obs-text; never CR, LF, NUL, other controls or DEL.
    @inline(__always)
    static func isFieldValueByte(_ b: UInt8) -> Bool {
        b == 0x09 || (b >= 0x20 && b != 0x7F)
    }

    static func trimOWS(_ s: Substring) -> String {
        var t = s
        while let f = t.first, f == " " || f == "\t" { t.removeFirst() }
        while let l = t.last, l == " " || l == "\t" { t.removeLast() }
        return String(t)
    }
}
