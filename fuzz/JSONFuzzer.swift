// libFuzzer entry for the JSON parser, which reads LLM replies, app-state blobs and JSON-LD from
// hostile pages. Whatever the bytes: no trap, depth stays bounded, and what parses survives a
// round trip (serialised, then parsed strictly, it is the same value and the same bytes again).
// Strict JSON must read the same in lenient mode (lenient only adds what pages get wrong).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let strict = try? JSONParser.parse(bytes)
    let lenient = try? JSONParser.parse(bytes, options: JSONParser.Options(lenient: true))
    if let strict {
        precondition(lenient == strict, "strict JSON reads differently in lenient mode")
    }
    for value in [strict, lenient].compactMap({ $0 }) {
        let once = value.serializedBytes()
        guard let again = try? JSONParser.parse(once) else {
            preconditionFailure("serialised output does not parse: \(String(decoding: once, as: UTF8.self).prefix(200))")
        }
        precondition(again == value, "round trip changed the value")
        precondition(again.serializedBytes() == once, "serialisation is not stable")
    }
    // A small depth limit is honoured (an error, never a crash).
    _ = try? JSONParser.parse(bytes, options: JSONParser.Options(lenient: true, maxDepth: 4))
    return 0
}
