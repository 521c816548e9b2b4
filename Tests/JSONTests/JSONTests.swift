import Testing
@testable import JSON

@Suite struct JSONTests {
    @Test func roundTripKeepsKeyOrderAndNumberText() throws {
        let text = #"{"b":1,"a":[true,false,null],"price":"130.00","n":130.00,"s":"x\"y\\z"}"#
        let value = try JSONParser.parse(text)
        #expect(value.serialized() == text)
        #expect(value["n"] == .number("130.00"))
        #expect(value["a"]?[0] == .bool(true))
    }

    @Test func escapesEverythingThatCouldBreakALine() {
        let value: JSONValue = ["k": .string("a\nb\r\u{2028}\u{0}\u{7F}")]
        let out = value.serialized()
        #expect(out == #"{"k":"a\nb\r\u2028\u0000\u007f"}"#)
        #expect(!out.contains("\n") && !out.contains("\r"))
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
        #expect(try JSONParser.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "\"\u{1}\"", "tru", "[1] 2", "{'a':1}", "1.", "-", "\"\\x\""])
    func strictRejects(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func lenientAcceptsWhatPagesContain() throws {
        let text = """
            /* comment */ {
              // line comment
              "name": "Chair\tOne",
              "offers": [{"price": 12,},],
              'sku': 'A1',
              "x": NaN,
            };
            """
        let value = try JSONParser.parse(text, options: .init(lenient: true))
        #expect(value["name"] == .string("Chair\tOne"))
        #expect(value["offers"]?[0]?["price"] == .number("12"))
        #expect(value["sku"] == .string("A1"))
        #expect(value["x"] == .null)
    }

    /// Found by fuzz/run: lenient mode read "00.1" and kept it, and its serialisation was then
    /// not JSON. Lenient numbers keep their value and come out as strict JSON text.
    @Test func lenientLeadingZerosSerialiseAsStrictJSON() throws {
        let text = "[00.1, 007, -00, 000, -0012.50e1, 0, -0]"
        let value = try JSONParser.parse(text, options: .init(lenient: true))
        #expect(value == .array([.number("0.1"), .number("7"), .number("-0"), .number("0"),
                                 .number("-12.50e1"), .number("0"), .number("-0")]))
        #expect(try JSONParser.parse(value.serializedBytes()) == value)
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[007]") }
    }

    @Test func depthIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func objectSubscriptReplacesAndRemoves() {
        var o: JSONObject = ["a": 1, "b": 2]
        o["a"] = 3
        o["b"] = nil
        o["c"] = "x"
        #expect(JSONValue.object(o).serialized() == #"{"a":3,"c":"x"}"#)
    }
}
