import Extraction

// libFuzzer entry: the extractor takes any bytes as a page (tag soup, broken JSON-LD, binary)
// and either reads a product or refuses with an error, never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let record = try? Extractor.extract(html: bytes, url: "https://shop.example/p/1") {
        if let price = record.price {
            precondition(price.allSatisfy { $0.isNumber || $0 == "." }, "price \(price) is not a decimal")
        }
    }
    return 0
}
