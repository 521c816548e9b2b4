/// The value of one ASCII hex digit (either case), nil for any other byte: the corpora's escapes.
func hexDigit(_ b: UInt8) -> Int? {
    switch b {
    case 0x30 ... 0x39: return Int(b - 0x30)
    case 0x41 ... 0x46: return Int(b - 0x37)
    case 0x61 ... 0x66: return Int(b - 0x57)
    default: return nil
    }
}
