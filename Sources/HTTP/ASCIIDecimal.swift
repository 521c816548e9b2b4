/// Integers written as ASCII digits straight into a byte buffer: response heads and log lines
/// are made for every request, and `String(n)` would allocate a string only to copy it.
public enum ASCIIDecimal {
    public static func append(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10  // divisions by the constant 10 compile to a multiply
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        out.withUnsafeMutableBufferPointer { buffer in
            var index = start + digits - 1
            while magnitude > 0 {
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                index -= 1
            }
        }
    }

    /// Two digits, zero-padded (`0...99`).
    public static func appendTwoDigits(_ value: Int32, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") + UInt8(value / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
