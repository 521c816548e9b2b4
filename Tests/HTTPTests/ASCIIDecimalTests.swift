import HTTP
import Testing

struct ASCIIDecimalTests {
    @Test(arguments: [0, 7, 9, 10, 99, 100, 1234, -1, -10, 65536, 1_000_000_007, Int.max, Int.min])
    func digitsMatchTheStandardLibrary(_ value: Int) {
        var out: [UInt8] = Array("x=".utf8)
        ASCIIDecimal.append(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=\(value)")
    }

    @Test func twoDigitsArePadded() {
        var out: [UInt8] = []
        for n: Int32 in [0, 5, 10, 59] { ASCIIDecimal.appendTwoDigits(n, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "00051059")
    }
}
