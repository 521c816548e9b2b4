// libFuzzer entry: the multipart parser. The first line of the input is the boundary; the rest
// is the body, fed whole and then in two pieces: both must give the same parts or the same error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let newline = bytes.firstIndex(of: 0x0A) else { return 0 }
    let boundary = String(decoding: bytes[..<newline], as: UTF8.self)
    guard (try? MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"\(boundary)\"")) != nil else { return 0 }
    let body = Array(bytes[(newline + 1)...])
    let whole = FuzzMultipart.summary(boundary: boundary, body: body, split: nil)
    if body.count > 1 {
        let split = FuzzMultipart.summary(boundary: boundary, body: body, split: Int(body[0]) % body.count)
        precondition(whole == split, "split feeding changed the result")
    }
    return 0
}

enum FuzzMultipart {
    static func summary(boundary: String, body: [UInt8], split: Int?) -> [String] {
        var parser = MultipartParser(boundary: boundary)
        var out: [String] = []
        var size = 0
        let pieces = split.map { [Array(body[..<$0]), Array(body[$0...])] } ?? [body]
        do {
            for piece in pieces {
                try piece.withUnsafeBytes { raw in
                    try parser.feed(raw) { event in
                        switch event {
                        case .partBegin(let head): out.append("part \(head.name ?? "-") \(head.filename ?? "-")")
                        case .partData(let chunk): size += chunk.count
                        case .partEnd:
                            out.append("end \(size)")
                            size = 0
                        }
                    }
                }
            }
            try parser.finish()
            out.append("complete")
        } catch {
            out.append("error")
        }
        return out
    }
}
