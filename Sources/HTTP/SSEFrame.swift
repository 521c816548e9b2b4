import SystemSupport

/// Server-sent event encoding (WHATWG HTML, "server-sent events"): the one place frames are made.
///
/// `id` and `event` go through `SingleLine`; `data` is split on line breaks into several `data:`
/// lines (a one-line JSON envelope, the usual case, is one `data:` line), so no value can add a
/// field or end a frame early. Every frame ends with a blank line.
public enum SSEFrame {
    public static func event(id: String?, name: String?, data: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + (name?.utf8.count ?? 0) + 32)
        if let id {
            out.append(contentsOf: "id: ".utf8)
            SingleLine.append(id, to: &out)
            out.append(0x0A)
        }
        if let name {
            out.append(contentsOf: "event: ".utf8)
            SingleLine.append(name, to: &out)
            out.append(0x0A)
        }
        if SingleLine.isClean(data) {
            appendData(data.utf8, to: &out)
        } else {
            var line: [UInt8] = []
            var previousWasCR = false
            for byte in data.utf8 {
                if byte == 0x0A && previousWasCR { previousWasCR = false; continue }
                previousWasCR = byte == 0x0D
                if byte == 0x0A || byte == 0x0D {
                    appendData(line, to: &out)
                    line.removeAll(keepingCapacity: true)
                } else if byte != 0 {
                    line.append(byte)
                }
            }
            appendData(line, to: &out)
        }
        out.append(0x0A)
        return out
    }

    /// A result event: `id: <n>`, `event: <name>`, `data: <envelope>`.
    public static func event(id: Int, name: String, data: String) -> [UInt8] {
        event(id: String(id), name: name, data: data)
    }

    /// `retry: <ms>` tells EventSource how long to wait before reconnecting.
    public static func retry(milliseconds: Int) -> [UInt8] {
        Array("retry: \(milliseconds)\n\n".utf8)
    }

    /// A comment line, ignored by clients; keeps idle connections and proxies alive.
    public static func comment(_ text: String) -> [UInt8] {
        var out: [UInt8] = Array(": ".utf8)
        SingleLine.append(text, to: &out)
        out.append(contentsOf: "\n\n".utf8)
        return out
    }

    private static func appendData<Bytes: Sequence<UInt8>>(_ line: Bytes, to out: inout [UInt8]) {
        out.append(contentsOf: "data: ".utf8)
        out.append(contentsOf: line)
        out.append(0x0A)
    }
}
