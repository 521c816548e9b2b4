/// What the request parser reports, in order: one `.head`, any number of `.body`, one `.end`.
public enum HTTPRequestEvent {
    case head(HTTPRequestHead)
    /// Points into the caller's buffer; valid only during the callback (never copied).
    case body(UnsafeRawBufferPointer)
    /// The message is complete (a chunked body's trailers are consumed too).
    case end
}

/// An incremental HTTP/1.1 request parser (RFC 9112), strict like llhttp without lenient flags.
///
/// A pure function of the bytes it is fed: any split of the input, down to one byte per call, gives
/// the same events. Head bytes are buffered (bounded by the limits) so the head can be built once
/// complete; body bytes are handed out in place.
///
/// Deliberate choices (see LLHTTPConformanceTests for the corpus cases they affect):
/// - methods outside llhttp's HTTP method table are refused with 501 (RFC 9110 §9.1);
/// - transfer codings other than `chunked` are refused with 501: we do not decode them, and handing
///   the coded bytes on as the upload would be wrong;
/// - only `HTTP/1.0` and `HTTP/1.1` are accepted; another major version is 505, `1.x` is 400;
/// - a message without a body (no framing header, or `Content-Length: 0`) gets `.head` and `.end`
///   in the same call, so a caller never waits for bytes that will not come.
public struct HTTPRequestParser: Sendable {
    let limits: HTTPParserLimits
    var state: State = .start

    // The head being read: its bytes, and spans into them.
    var head: [UInt8] = []
    var methodEnd = 0
    var targetStart = 0
    var fields: [FieldSpan] = []
    var nameStart = 0
    var nameEnd = 0
    var valueStart = 0
    var valueEnd = 0
    var versionMajor = 0
    var versionMinor = 0
    var requestLineBytes = 0
    var sectionBytes = 0
    var sectionFields = 0
    var firstLine = true
    var inTrailers = false
    var keepAlive = true

    // The chunked body being read.
    var chunkSize = 0
    var chunkLineBytes = 0
    var bodyTotal = 0

    struct FieldSpan: Sendable {
        var nameStart: Int, nameEnd: Int, valueStart: Int, valueEnd: Int
    }

    enum State: Sendable, Equatable {
        case start, closed, failed
        case method, target, version(Int), requestLineLF
        case lineStart, name, valueOWS, value, valueLF, sectionEndLF
        case bodyLength(Int)
        case chunkSize(sawDigit: Bool), chunkExtName(empty: Bool), chunkExtValueStart, chunkExtToken
        case chunkExtQuoted, chunkExtEscape, chunkExtQuotedEnd, chunkSizeLF
        case chunkData(Int), chunkDataCR, chunkDataLF
    }

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// True when no byte of a new message has been seen (CR/LF between messages do not count).
    public var isIdle: Bool { state == .start || state == .closed }

    /// True after `.head` and before `.end`.
    public var isInBody: Bool {
        switch state {
        case .bodyLength, .chunkSize, .chunkExtName, .chunkExtValueStart, .chunkExtToken, .chunkExtQuoted,
             .chunkExtEscape, .chunkExtQuotedEnd, .chunkSizeLF, .chunkData, .chunkDataCR, .chunkDataLF:
            return true
        case .lineStart, .name, .valueOWS, .value, .valueLF, .sectionEndLF:
            return inTrailers
        default:
            return false
        }
    }

    /// Parses from `bytes` and returns how many it consumed. Returns early right after `.head` (no body
    /// byte consumed yet) and right after `.end` (the next message stays in the caller's buffer).
    public mutating func parse(_ bytes: UnsafeRawBufferPointer,
                               _ emit: (HTTPRequestEvent) throws -> Void) throws -> Int
    {
        if state == .failed { throw HTTPParseError(.badRequest, "parser already failed") }
        var i = 0
        let n = bytes.count
        do {
            while i < n {
                switch state {
                case .bodyLength(let remaining):
                    let take = min(remaining, n - i)
                    try emit(.body(UnsafeRawBufferPointer(rebasing: bytes[i ..< i + take])))
                    i += take
                    if take == remaining {
                        try endMessage(emit)
                        return i
                    }
                    state = .bodyLength(remaining - take)
                case .chunkData(let remaining):
                    let take = min(remaining, n - i)
                    try emit(.body(UnsafeRawBufferPointer(rebasing: bytes[i ..< i + take])))
                    i += take
                    state = take == remaining ? .chunkDataCR : .chunkData(remaining - take)
                default:
                    let b = bytes[i]
                    i += 1
                    if try step(b) {
                        // A header or trailer section ended: the events are made here, so that
                        // the per-byte steps take no closure (passing one cost a retain and a
                        // release of its context for every byte of every head).
                        if inTrailers { try endMessage(emit) } else { try endHead(emit) }
                        return i
                    }
                }
            }
        } catch {
            state = .failed
            throw error
        }
        return i
    }

    /// One byte outside body data. Returns true when it ended a header or trailer section.
    mutating func step(_ b: UInt8) throws -> Bool {
        switch state {
        case .start:
            // RFC 9112 §2.2: empty lines before a request line are ignored.
            if b == cr || b == lf { return false }
            beginMessage()
            state = .method
            return try step(b)
        case .closed:
            if b == cr || b == lf { return false }
            throw HTTPParseError(.badRequest, "data after a message with Connection: close")
        case .failed:
            throw HTTPParseError(.badRequest, "parser already failed")
        case .method, .target, .version, .requestLineLF:
            try requestLineByte(b)
            return false
        case .lineStart, .name, .valueOWS, .value, .valueLF, .sectionEndLF:
            return try fieldByte(b)
        default:
            try chunkByte(b)
            return false
        }
    }

    mutating func beginMessage() {
        head.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        requestLineBytes = 0
        sectionBytes = 0
        sectionFields = 0
        firstLine = true
        inTrailers = false
        bodyTotal = 0
    }

    mutating func requestLineByte(_ b: UInt8) throws {
        requestLineBytes += 1
        if requestLineBytes > limits.maxRequestLineBytes {
            if state == .target { throw HTTPParseError(.uriTooLong, "request target longer than \(limits.maxRequestLineBytes) bytes") }
            throw HTTPParseError(.badRequest, "request line longer than \(limits.maxRequestLineBytes) bytes")
        }
        switch state {
        case .method:
            if b == sp {
                methodEnd = head.count
                try checkMethod()
                targetStart = head.count
                state = .target
            } else if HTTPSyntax.isToken(b) {
                if head.count >= HTTPSyntax.maxMethodLength { throw HTTPParseError(.notImplemented, "method not implemented") }
                head.append(b)
            } else {
                throw HTTPParseError(.badRequest, "invalid character in method")
            }
        case .target:
            if b == sp {
                if head.count == targetStart { throw HTTPParseError(.badRequest, "empty request target") }
                state = .version(0)
            } else if b > 0x20 && b < 0x7F {
                head.append(b)
            } else {
                throw HTTPParseError(.badRequest, "invalid character in request target")
            }
        case .version(let k):
            try versionByte(b, k)
        case .requestLineLF:
            guard b == lf else { throw HTTPParseError(.badRequest, "expected LF after CR in request line") }
            state = .lineStart
        default:
            break
        }
    }

    mutating func versionByte(_ b: UInt8, _ k: Int) throws {
        switch k {
        case 0 ..< 5:
            guard b == HTTPSyntax.httpSlash[k] else { throw HTTPParseError(.badRequest, "expected HTTP/ version") }
        case 5, 7:
            guard b >= 0x30 && b <= 0x39 else { throw HTTPParseError(.badRequest, "invalid HTTP version") }
            if k == 5 {
                versionMajor = Int(b - 0x30)
            } else {
                versionMinor = Int(b - 0x30)
                if versionMajor != 1 {
                    throw HTTPParseError(.versionNotSupported, "HTTP/\(versionMajor).\(versionMinor) not supported")
                }
                if versionMinor > 1 { throw HTTPParseError(.badRequest, "invalid HTTP version 1.\(versionMinor)") }
            }
        case 6:
            guard b == 0x2E else { throw HTTPParseError(.badRequest, "invalid HTTP version") }
        default:
            guard b == cr else { throw HTTPParseError(.badRequest, "expected CRLF after HTTP version") }
            state = .requestLineLF
            return
        }
        state = .version(k + 1)
    }

    mutating func checkMethod() throws {
        let method = head[0 ..< methodEnd]
        guard HTTPSyntax.knownMethods.contains(where: { $0.elementsEqual(method) }) else {
            throw HTTPParseError(.notImplemented, "method \(String(decoding: method, as: UTF8.self)) not implemented")
        }
    }

    /// Header and trailer lines share this machine; trailers are validated and bounded, then
    /// dropped. Returns true when the section ended.
    mutating func fieldByte(_ b: UInt8) throws -> Bool {
        sectionBytes += 1
        if sectionBytes > limits.maxHeaderBytes {
            throw HTTPParseError(.headersTooLarge, "\(inTrailers ? "trailer" : "header") section longer than \(limits.maxHeaderBytes) bytes")
        }
        switch state {
        case .lineStart:
            if b == cr {
                state = .sectionEndLF
            } else if HTTPSyntax.isToken(b) {
                // Field names are only kept for the head; trailers are validated, not stored.
                nameStart = head.count
                if !inTrailers { head.append(b) }
                state = .name
            } else if b == sp || b == htab {
                // Whitespace at a line start is obs-fold (or a smuggling attempt after the request line).
                throw HTTPParseError(.badRequest, firstLine ? "unexpected whitespace after request line" : "obsolete line folding rejected")
            } else {
                throw HTTPParseError(.badRequest, "invalid character in header name")
            }
        case .name:
            if HTTPSyntax.isToken(b) {
                if !inTrailers { head.append(b) }
            } else if b == colon {
                nameEnd = head.count
                state = .valueOWS
            } else {
                throw HTTPParseError(.badRequest, "invalid character in header name")
            }
        case .valueOWS:
            if b == sp || b == htab { return false }
            valueStart = head.count
            valueEnd = head.count
            if b == cr {
                state = .valueLF
            } else {
                try valueChar(b)
                state = .value
            }
        case .value:
            if b == cr { state = .valueLF } else { try valueChar(b) }
        case .valueLF:
            guard b == lf else { throw HTTPParseError(.badRequest, "expected LF after CR in header") }
            try endField()
        case .sectionEndLF:
            guard b == lf else { throw HTTPParseError(.badRequest, "expected LF after CR ending the header section") }
            return true
        default:
            break
        }
        return false
    }

    mutating func valueChar(_ b: UInt8) throws {
        guard HTTPSyntax.isFieldValueByte(b) else {
            throw HTTPParseError(.badRequest, "invalid character in header value")
        }
        guard !inTrailers else { return }
        head.append(b)
        // Trailing OWS is not part of the value: remember where the last non-OWS byte ended.
        if b != sp && b != htab { valueEnd = head.count }
    }

    mutating func endField() throws {
        firstLine = false
        sectionFields += 1
        if sectionFields > limits.maxHeaderCount {
            throw HTTPParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) header fields")
        }
        if !inTrailers {
            head.removeSubrange(valueEnd...)  // drop trailing OWS so later spans stay contiguous
            let field = FieldSpan(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd)
            try checkEarly(field)
            fields.append(field)
        }
        state = .lineStart
    }

    /// Content-Length is checked as soon as its line ends, not at the end of the head, so a
    /// smuggling attempt fails before the rest of the head is even buffered (as llhttp does).
    func checkEarly(_ field: FieldSpan) throws {
        guard HTTPSyntax.equalsIgnoringCase(head[field.nameStart ..< field.nameEnd], HTTPSyntax.contentLength) else { return }
        let value = try Self.contentLength(head[field.valueStart ..< field.valueEnd])
        for f in fields where HTTPSyntax.equalsIgnoringCase(head[f.nameStart ..< f.nameEnd], HTTPSyntax.contentLength) {
            if try Self.contentLength(head[f.valueStart ..< f.valueEnd]) != value {
                throw HTTPParseError(.badRequest, "conflicting Content-Length values")
            }
        }
    }

    mutating func endHead(_ emit: (HTTPRequestEvent) throws -> Void) throws {
        var headers = HTTPHeaders()
        for f in fields {
            headers.add(String(decoding: head[f.nameStart ..< f.nameEnd], as: UTF8.self),
                        String(decoding: head[f.valueStart ..< f.valueEnd], as: UTF8.self))
        }
        let method = String(decoding: head[0 ..< methodEnd], as: UTF8.self)
        let framing = try Self.framing(headers, limits: limits)
        keepAlive = Self.keepAlive(headers, minor: versionMinor)
        let request = HTTPRequestHead(
            method: method, target: String(decoding: head[targetStart ..< targetEnd], as: UTF8.self),
            versionMajor: versionMajor, versionMinor: versionMinor, headers: headers, keepAlive: keepAlive,
            framing: framing, expectsContinue: Self.expectsContinue(headers))
        try emit(.head(request))
        switch framing {
        case .none, .length(0):
            try endMessage(emit)
        case .length(let n):
            state = .bodyLength(n)
        case .chunked:
            chunkSize = 0
            chunkLineBytes = 0
            state = .chunkSize(sawDigit: false)
        }
    }

    /// The target ends where the first header name starts (or at the end when there are none);
    /// computed from the recorded spans so the head buffer needs no extra bookkeeping.
    var targetEnd: Int { fields.first?.nameStart ?? head.count }

    mutating func endMessage(_ emit: (HTTPRequestEvent) throws -> Void) throws {
        state = keepAlive ? .start : .closed
        head.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        try emit(.end)
    }
}

let cr: UInt8 = 0x0D
let lf: UInt8 = 0x0A
let sp: UInt8 = 0x20
let htab: UInt8 = 0x09
let colon: UInt8 = 0x3A
