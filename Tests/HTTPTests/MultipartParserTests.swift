import HTTP
import Testing

@Suite struct MultipartParserTests {
    func body(_ s: String) -> [UInt8] { Array(s.utf8) }

    func parse(_ s: String, boundary: String = "XyZ", limits: MultipartLimits = MultipartLimits())
        -> (parts: [ParsedPart], error: MultipartError?)
    {
        let r = MultipartRun.runBothWays(body(s), boundary: boundary, limits: limits)
        #expect(r.problem == nil, "\(r.problem ?? "")")
        return (r.parts, r.error)
    }

    @Test func boundaryFromContentType() throws {
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(try MultipartParser.boundary(fromContentType: "Multipart/Form-Data ; charset=utf-8; BOUNDARY=\"a b'()+_,-./:=?\"") == "a b'()+_,-./:=?")
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "multipart/mixed; boundary=a") }
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "multipart/form-data") }
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=") }
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"a \"") }
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=a\\b") }
        #expect(throws: MultipartError.self) {
            try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\(String(repeating: "a", count: 71))")
        }
        #expect(throws: MultipartError.self) { try MultipartParser.boundary(fromContentType: "") }
    }

    @Test func fieldsFilesPreambleEpilogue() throws {
        let r = parse("preamble\r\n--XyZ  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
            + "--XyZ\r\ncontent-disposition: FORM-DATA; name=b; filename=\"x\\\"y.png\"; filename*=UTF-8''%E2%82%AC.png\r\n"
            + "Content-Type: image/png\r\n\r\n\r\n--XyZx\r\n\r\n--XyZ--epilogue\r\n--XyZ\r\nignored")
        #expect(r.error == nil)
        #expect(r.parts.count == 2)
        #expect(r.parts[0].head.name == "a" && r.parts[0].data == body("1") && r.parts[0].head.filename == nil && r.parts[0].ended)
        #expect(r.parts[1].head.name == "b" && r.parts[1].head.filename == "€.png" && r.parts[1].head.contentType == "image/png")
        #expect(r.parts[1].data == body("\r\n--XyZx\r\n") && r.parts[1].ended)
    }

    @Test func filenameForms() {
        func filename(_ disposition: String) -> String? {
            parse("--XyZ\r\nContent-Disposition: \(disposition)\r\n\r\n\r\n--XyZ--").parts.first?.head.filename
        }
        #expect(filename("form-data; name=f; filename=\"a\\\\b\"") == "a\\b")
        #expect(filename("form-data; name=f; filename=\"C:\\dir\\x.jpg\"") == "C:\\dir\\x.jpg")  // IE sends raw paths
        #expect(filename("form-data; name=f; filename*=iso-8859-1'en'%E9t%E9.txt") == "été.txt")
        #expect(filename("form-data; name=f; filename=\"../../etc/passwd\"") == "../../etc/passwd")  // reported, never used as a path
        #expect(filename("form-data; name=f; filename=\"\"") == "")
    }

    @Test func delimiterLookalikesAreData() {
        let tricky = "\r\r\n-\r\n--\r\n--X\r\n--XyZ-a\r\n--XyZ \tz\r\n--XyZ\rq\r\r\n--Xy"
        let r = parse("--XyZ\r\nContent-Disposition: form-data; name=t\r\n\r\n\(tricky)\r\n--XyZ--")
        #expect(r.error == nil)
        #expect(r.parts.first.map { String(decoding: $0.data, as: UTF8.self) } == tricky)
    }

    @Test func boundarySplitAcrossEveryFeedPoint() {
        let s = body("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\nworld\r\n--XyZ--")
        let whole = MultipartRun.run([s], boundary: "XyZ")
        for cut in 0 ... s.count {
            let split = MultipartRun.run([Array(s[..<cut]), Array(s[cut...])], boundary: "XyZ")
            #expect(split.parts == whole.parts && split.error == nil, "cut at \(cut)")
        }
        #expect(whole.parts.map(\.data) == [body("hello"), body("world")])
    }

    /// A large part is handed out in place in few callbacks; nothing accumulates in the parser.
    @Test func largePartStreamsInPlace() throws {
        var parser = MultipartParser(boundary: "XyZ")
        let header = body("--XyZ\r\nContent-Disposition: form-data; name=file; filename=big.bin\r\n\r\n")
        let chunk = [UInt8](repeating: 0x0D, count: 1 << 20)  // all CRs: the worst case for the scan
        var total = 0, callbacks = 0
        let emit: (MultipartEvent) throws -> Void = { if case .partData(let d) = $0 { total += d.count; callbacks += 1 } }
        try header.withUnsafeBytes { try parser.feed($0, emit) }
        for _ in 0 ..< 8 { try chunk.withUnsafeBytes { try parser.feed($0, emit) } }
        try body("\r\n--XyZ--").withUnsafeBytes { try parser.feed($0, emit) }
        try parser.finish()
        #expect(total == 8 << 20)
        #expect(callbacks <= 24)
    }

    @Test func errors() {
        let ok = "Content-Disposition: form-data; name=a\r\n"
        #expect(parse("").error != nil)  // no boundary at all
        #expect(parse("garbage without a boundary").error != nil)
        #expect(parse("--XyZ\r\n\(ok)\r\ntruncated").error != nil)
        #expect(parse("--XyZ\r\n\(ok)").error != nil)  // ends inside the headers
        #expect(parse("--XyZ\r\nNo colon here\r\n\r\nx\r\n--XyZ--").error != nil)
        #expect(parse("--XyZ\r\n: empty name\r\n\r\nx\r\n--XyZ--").error != nil)
        #expect(parse("--XyZ\r\nA: 1\rB: 2\r\n\r\nx\r\n--XyZ--").error != nil)
        #expect(parse("--XyZ\r\nA: 1\nB: 2\r\n\r\nx\r\n--XyZ--").error != nil)
        #expect(parse("--XyZ\r\nA: \u{1}\r\n\r\nx\r\n--XyZ--").error != nil)
        #expect(parse("--XyZ\(String(repeating: " ", count: 100))\r\n\(ok)\r\nx\r\n--XyZ--").error != nil)
        let big = "--XyZ\r\nX-Big: \(String(repeating: "b", count: 200))\r\n\r\nx\r\n--XyZ--"
        #expect(parse(big, limits: MultipartLimits(maxPartHeaderBytes: 100)).error != nil)
        let many = "--XyZ\r\n" + String(repeating: "A: 1\r\n", count: 4) + "\r\nx\r\n--XyZ--"
        #expect(parse(many, limits: MultipartLimits(maxHeadersPerPart: 3)).error != nil)
        let three = String(repeating: "--XyZ\r\n\(ok)\r\nx\r\n", count: 3) + "--XyZ--"
        #expect(parse(three, limits: MultipartLimits(maxParts: 2)).error != nil)
        #expect(parse(three, limits: MultipartLimits(maxParts: 3)).error == nil)
    }

    @Test func partsWithoutFormDataAreSkipped() {
        let r = parse("--XyZ\r\nContent-Type: text/plain\r\n\r\nhidden\r\n--XyZ\r\nContent-Disposition: attachment; name=z\r\n\r\nhidden\r\n"
            + "--XyZ\r\nContent-Disposition: form-data\r\n\r\nanon\r\n--XyZ\r\nContent-Disposition: form-data; name=v;\r\n folded=1\r\n\r\nshown\r\n--XyZ--")
        #expect(r.error == nil)
        #expect(r.parts.map(\.head.name) == [nil, "v"])
        #expect(r.parts.map(\.data) == [body("anon"), body("shown")])
        #expect(r.parts[1].head.headers["content-disposition"] == "form-data; name=v; folded=1")
    }

    @Test func completionAndEpilogue() throws {
        var parser = MultipartParser(boundary: "b")
        #expect(!parser.isComplete)
        try body("--b--\r\nanything at all \u{0}").withUnsafeBytes { try parser.feed($0) { _ in } }
        #expect(parser.isComplete)
        try parser.finish()
    }
}
