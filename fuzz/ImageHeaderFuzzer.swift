// libFuzzer entry: the image header sniffer must answer nil or a positive size for any bytes,
// never read out of bounds, and agree between its two entry points.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let fromPointer = ImageHeader.parse(raw)
    let fromArray = ImageHeader.parse(Array(raw))
    precondition(fromPointer == fromArray, "entry points disagree")
    if let header = fromPointer { precondition(header.width > 0 && header.height > 0, "non-positive size") }
    return 0
}
