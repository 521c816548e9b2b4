import HTTP
import Testing

@Suite struct HTTPRequestParserTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Parses whole and byte by byte, checks both agree, returns the whole-feed result.
    func parse(_ s: String, limits: HTTPParserLimits = HTTPParserLimits()) -> (messages: [ParsedMessage], error: HTTPParseError?) {
        let whole = RequestRun.run(bytes(s), step: Int.max, limits: limits)
        let bytewise = RequestRun.run(bytes(s), step: 1, limits: limits)
        #expect(whole.messages == bytewise.messages)
        #expect(whole.error == bytewise.error)
        return whole
    }

    func error(_ s: String, limits: HTTPParserLimits = HTTPParserLimits()) -> HTTPParseError.Kind? {
        parse(s, limits: limits).error?.kind
    }

    @Test func simpleGet() throws {
        let r = parse("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Empty:\r\nX-Pad: \t v \t\r\n\r\n")
        #expect(r.error == nil)
        let head = try #require(r.messages.first?.head)
        #expect(head.method == "GET" && head.target == "/a?b=1" && head.versionMinor == 1)
        #expect(head.headers["host"] == "x" && head.headers["X-Empty"] == "" && head.headers["x-pad"] == "v")
        #expect(head.framing == .none && head.keepAlive && !head.expectsContinue)
        #expect(r.messages[0].complete)
    }

    @Test func returnsAfterHeadBeforeBody() throws {
        var parser = HTTPRequestParser()
        let input = bytes("POST /u HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\nhello")
        var events: [String] = []
        let consumed = try input.withUnsafeBytes { buf in
            try parser.parse(buf) { e in
                if case .head(let h) = e { events.append("head \(h.framing) \(h.expectsContinue)") }
            }
        }
        #expect(consumed == input.count - 5)
        #expect(events == ["head length(5) true"])
        #expect(parser.isInBody && !parser.isIdle)
        let rest = try input.withUnsafeBytes { buf in
            try parser.parse(UnsafeRawBufferPointer(rebasing: buf[consumed...])) { e in
                switch e {
                case .body(let b): events.append("body \(String(decoding: b, as: UTF8.self))")
                case .end: events.append("end")
                case .head: events.append("head")
                }
            }
        }
        #expect(rest == 5)
        #expect(events.suffix(2) == ["body hello", "end"])
        #expect(parser.isIdle && !parser.isInBody)
    }

    @Test func pipeliningStopsAfterEachEnd() throws {
        var parser = HTTPRequestParser()
        let first = "GET /1 HTTP/1.1\r\n\r\n"
        let input = bytes(first + "GET /2 HTTP/1.1\r\n\r\n")
        var targets: [String] = []
        let emit: (HTTPRequestEvent) throws -> Void = { if case .head(let h) = $0 { targets.append(h.target) } }
        let n1 = try input.withUnsafeBytes { try parser.parse($0, emit) }
        #expect(n1 == first.utf8.count && targets == ["/1"])
        #expect(parser.isIdle)
        let n2 = try input.withUnsafeBytes { try parser.parse(UnsafeRawBufferPointer(rebasing: $0[n1...]), emit) }
        #expect(n1 + n2 == input.count && targets == ["/1", "/2"])
    }

    @Test func idleStateTracksPartialHeads() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle)
        _ = try bytes("\r\n").withUnsafeBytes { try parser.parse($0) { _ in } }
        #expect(parser.isIdle)  // blank lines between messages are not a message
        _ = try bytes("GE").withUnsafeBytes { try parser.parse($0) { _ in } }
        #expect(!parser.isIdle && !parser.isInBody)
    }

    @Test func limits() {
        let small = HTTPParserLimits(maxRequestLineBytes: 32, maxHeaderBytes: 64, maxHeaderCount: 2, maxBodyBytes: 10)
        #expect(error("GET /\(String(repeating: "a", count: 40)) HTTP/1.1\r\n\r\n", limits: small) == .uriTooLong)
        #expect(error("GET /\(String(repeating: "a", count: 20)) HTTP/1.1\r\n\r\n", limits: small) == .badRequest)  // version overflows
        #expect(error("GET / HTTP/1.1\r\nA: \(String(repeating: "b", count: 70))\r\n\r\n", limits: small) == .headersTooLarge)
        #expect(error("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small) == .headersTooLarge)
        #expect(error("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits: small) == .bodyTooLarge)
        #expect(error("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits: small) == nil)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n", limits: small) == .bodyTooLarge)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: \(String(repeating: "t", count: 70))\r\n\r\n", limits: small) == .headersTooLarge)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;\(String(repeating: "e", count: 5000))\r\n", limits: HTTPParserLimits()) == .badRequest)
    }

    @Test func smuggling() {
        #expect(error("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nContent-Length : 1\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == .notImplemented)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\r\nA: 1\nB: 2\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\r\nA: 1\rB: 2\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\r\nA: x\u{0}y\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\r\nA: x\u{7f}\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\n\n") == .badRequest)
        #expect(error("GET / HTTP/1.1\r\n Host: x\r\n\r\n") == .badRequest)
        // Same duplicate value is harmless (RFC 9110 §8.6).
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok").messages.first?.body == bytes("ok"))
    }

    @Test func versionsAndMethods() {
        #expect(error("GET / HTTP/2.0\r\n\r\n") == .versionNotSupported)
        #expect(error("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") != nil)
        #expect(error("GET / HTTP/1.2\r\n\r\n") == .badRequest)
        #expect(error("GET / HTTP/1.1 \r\n\r\n") == .badRequest)
        #expect(error("get / HTTP/1.1\r\n\r\n") == .notImplemented)
        #expect(error("BREW / HTTP/1.1\r\n\r\n") == .notImplemented)
        #expect(error("G(T / HTTP/1.1\r\n\r\n") == .badRequest)
        #expect(error("GET  / HTTP/1.1\r\n\r\n") == .badRequest)
        #expect(error("GET /\u{7f} HTTP/1.1\r\n\r\n") == .badRequest)
        #expect(parse("M-SEARCH * HTTP/1.1\r\n\r\n").messages.first?.target == "*")
    }

    @Test func keepAliveRules() {
        func keepAlive(_ s: String) -> Bool? { parse(s).messages.first?.head?.keepAlive }
        #expect(keepAlive("GET / HTTP/1.1\r\n\r\n") == true)
        #expect(keepAlive("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") == true)
        // After a closing message only blank lines may follow.
        #expect(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\n").error == nil)
        #expect(error("GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n") == .badRequest)
    }

    @Test func expectContinue() {
        #expect(parse("PUT / HTTP/1.1\r\nExpect: 100-CONTINUE\r\nContent-Length: 1\r\n\r\nx").messages.first?.head?.expectsContinue == true)
        #expect(parse("PUT / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n").messages.first?.head?.expectsContinue == false)
    }

    @Test func chunked() throws {
        let r = parse("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;a=b;c=\"q\\\"d\"\r\nhello\r\nA\r\n 0123456 x\r\n000\r\nTrailer-A: 1\r\n\r\n"
            + "GET /next HTTP/1.1\r\n\r\n")
        #expect(r.error == nil)
        #expect(r.messages.count == 2)
        #expect(r.messages[0].head?.framing == .chunked)
        #expect(r.messages[0].body == bytes("hello 0123456 x") && r.messages[0].complete)
        #expect(r.messages[1].target == "/next")
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n;a\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;\"x\"\r\nab\r\n") == .badRequest)
        #expect(error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n bad\r\n\r\n") == .badRequest)
        // Truncated before the last chunk: no error, just not complete (the server sees !isIdle at EOF).
        let partial = parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        #expect(partial.error == nil && partial.messages.first?.complete == false)
    }

    @Test func failedParserStaysFailed() {
        var parser = HTTPRequestParser()
        #expect(throws: HTTPParseError.self) { try bytes("BAD\u{1} ").withUnsafeBytes { _ = try parser.parse($0) { _ in } } }
        #expect(throws: HTTPParseError.self) { try bytes("GET / HTTP/1.1\r\n\r\n").withUnsafeBytes { _ = try parser.parse($0) { _ in } } }
    }

    @Test func emitErrorsAreRethrown() {
        struct Stop: Error {}
        var parser = HTTPRequestParser()
        #expect(throws: Stop.self) {
            try bytes("GET / HTTP/1.1\r\n\r\n").withUnsafeBytes { _ = try parser.parse($0) { _ in throw Stop() } }
        }
    }
}
