/// Server-sent event encoding (WHATWG HTML, "server-sent events").
///
/// Every field value is reduced to one line: CR and LF are removed from `event` and `id`, and
/// `data` is split on line breaks into several `data:` lines, so no payload can add a field or
/// end a frame early.
public enum SSEFrame {
    public static func event(id: String?, name: String?, data: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + 48)
        if let id {
            out.append(contentsOf: "id: ".utf8)
            appendSingleLine(id, to: &out)
            out.append(0x0A)
        }
        if let name {
            out.append(contentsOf: "event: ".utf8)
            appendSingleLine(name, to: &out)
            out.append(0x0A)
        }
        var line: [UInt8] = []
        var previousWasCR = false
        for byte in data.utf8 {
            if byte == 0x0A && previousWasCR { previousWasCR = false; continue }
            previousWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                appendData(line, to: &out)
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(byte)
            }
        }
        appendData(line, to: &out)
        out.append(0x0A)
        return out
    }

    /// `retry: <ms>` tells EventSource how long to wait before reconnecting.
    public static func retry(milliseconds: Int) -> [UInt8] {
        Array("retry: \(milliseconds)\n\n".utf8)
    }

    /// A comment line, ignored by clients; keeps idle connections and proxies alive.
    public static func comment(_ text: String) -> [UInt8] {
        var out: [UInt8] = Array(": ".utf8)
        appendSingleLine(text, to: &out)
        out.append(contentsOf: "\n\n".utf8)
        return out
    }

    private static func appendData(_ line: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: "data: ".utf8)
        out.append(contentsOf: line)
        out.append(0x0A)
    }

    private static func appendSingleLine(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 where byte != 0x0A && byte != 0x0D && byte != 0 { out.append(byte) }
    }
}
