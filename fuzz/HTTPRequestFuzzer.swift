// libFuzzer entry: the HTTP request parser must never crash, hang or read out of bounds, and
// feeding the same bytes in two pieces must give the same events as feeding them whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let whole = FuzzHTTP.events(bytes, split: nil)
    if size > 1 {
        let split = FuzzHTTP.events(bytes, split: Int(bytes[0]) % size)
        precondition(whole == split, "split feeding changed the result")
    }
    return 0
}

enum FuzzHTTP {
    /// A summary of what the parser produced: heads, body byte count, ends, and the error status.
    static func events(_ bytes: UnsafeRawBufferPointer, split: Int?) -> [String] {
        var parser = HTTPRequestParser(limits: HTTPParserLimits(maxBodyBytes: 1 << 20))
        var out: [String] = []
        var body = 0
        let pieces: [UnsafeRawBufferPointer]
        if let split {
            pieces = [UnsafeRawBufferPointer(rebasing: bytes[0..<split]), UnsafeRawBufferPointer(rebasing: bytes[split...])]
        } else {
            pieces = [bytes]
        }
        var pending: [UInt8] = []
        do {
            for piece in pieces {
                pending.append(contentsOf: piece)
                var offset = 0
                while offset < pending.count {
                    let consumed = try pending.withUnsafeBytes { raw in
                        try parser.parse(UnsafeRawBufferPointer(rebasing: raw[offset...])) { event in
                            switch event {
                            case .head(let head): out.append("head \(head.method) \(head.target) \(head.headers.count)")
                            case .body(let chunk): body += chunk.count
                            case .end:
                                out.append("end \(body)")
                                body = 0
                            }
                        }
                    }
                    if consumed == 0 { break }
                    offset += consumed
                }
                pending.removeFirst(offset)
            }
        } catch let error as HTTPParseError {
            out.append("error \(error.status.code)")
        } catch {
            out.append("error other")
        }
        return out
    }
}
