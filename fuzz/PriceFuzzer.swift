import Extraction

// libFuzzer entry: the price parser takes any text without trapping, and whatever amount it
// reports is a plain decimal number.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrice(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parsed = PriceParser.parse(text)
    if let amount = parsed.amount {
        precondition(!amount.isEmpty && amount.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" }, "amount \(amount) is not a decimal")
    }
    return 0
}
