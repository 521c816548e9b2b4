import HTTP
import SystemSupport
import Testing

/// The one SSE encoder (WHATWG HTML "server-sent events") and the one CR/LF sanitiser.
@Suite struct SSEFrameTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func aResultEventIsOneFrameWithOneDataLine() {
        let envelope = #"{"data":{"a":"b\nc"},"data_type":"dict[str, str]","data_description":"x"}"#
        #expect(text(SSEFrame.event(id: 3, name: "retail-price-details", data: envelope))
            == "id: 3\nevent: retail-price-details\ndata: \(envelope)\n\n")
    }

    @Test func idAndNameCannotAddAFieldOrAFrame() {
        let frame = text(SSEFrame.event(id: "7\nevent: done", name: "x\r\ndata: {}\n\n", data: "{}"))
        #expect(frame == "id: 7event: done\nevent: xdata: {}\ndata: {}\n\n")
        #expect(frame.components(separatedBy: "\n\n").count == 2, "one frame, one terminator")
    }

    @Test func multiLineDataBecomesSeveralDataLines() {
        #expect(text(SSEFrame.event(id: nil, name: nil, data: "a\r\nb\rc\nd")) == "data: a\ndata: b\ndata: c\ndata: d\n\n")
        #expect(text(SSEFrame.event(id: nil, name: nil, data: "")) == "data: \n\n")
        #expect(text(SSEFrame.event(id: nil, name: "n", data: "x\n")) == "event: n\ndata: x\ndata: \n\n")
        #expect(text(SSEFrame.event(id: nil, name: nil, data: "a\u{0}b\nc")) == "data: ab\ndata: c\n\n")
    }

    @Test func commentsAndRetry() {
        #expect(text(SSEFrame.comment("keep\nalive")) == ": keepalive\n\n")
        #expect(text(SSEFrame.retry(milliseconds: 3000)) == "retry: 3000\n\n")
    }

    @Test func singleLineKeepsEverythingButLineBreaks() {
        var out: [UInt8] = []
        SingleLine.append("a\r\nb\u{0}ç", to: &out)
        #expect(text(out) == "abç")
        #expect(SingleLine.isClean("plain value") && !SingleLine.isClean("two\nlines"))
    }
}
