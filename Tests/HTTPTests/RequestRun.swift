import HTTP

/// What a request parse produced, in a comparable form (body events merged).
struct ParsedMessage: Equatable, CustomStringConvertible {
    var method = ""
    var target = ""
    var headers: [[UInt8]] = []  // name, value, name, value, ...
    var body: [UInt8] = []
    var complete = false
    var head: HTTPRequestHead?

    static func == (a: ParsedMessage, b: ParsedMessage) -> Bool {
        a.method == b.method && a.target == b.target && a.headers == b.headers && a.body == b.body
            && a.complete == b.complete
    }

    var description: String {
        let h = stride(from: 0, to: headers.count - 1, by: 2).map {
            "\(String(decoding: headers[$0], as: UTF8.self)): \(String(decoding: headers[$0 + 1], as: UTF8.self))"
        }
        return "\(method) \(target) \(h) body=\(body.count)B \(String(decoding: body.prefix(40), as: UTF8.self).debugDescription) complete=\(complete)"
    }
}

enum RequestRun {
    /// Feeds `input` in slices of `step` bytes (Int.max = whole), calling parse again whenever it
    /// returns early, until input is exhausted, an error is thrown, or `stop` says enough.
    static func run(_ input: [UInt8], step: Int, limits: HTTPParserLimits = HTTPParserLimits(),
                    stop: ([ParsedMessage]) -> Bool = { _ in false }) -> (messages: [ParsedMessage], error: HTTPParseError?)
    {
        var parser = HTTPRequestParser(limits: limits)
        var messages: [ParsedMessage] = []
        var offset = 0
        var available = min(step, input.count)
        let emit: (HTTPRequestEvent) throws -> Void = { event in
            switch event {
            case .head(let h):
                var m = ParsedMessage(method: h.method, target: h.target)
                for f in h.headers { m.headers += [Array(f.name.utf8), Array(f.value.utf8)] }
                m.head = h
                messages.append(m)
            case .body(let b):
                messages[messages.count - 1].body += Array(b)
            case .end:
                messages[messages.count - 1].complete = true
            }
        }
        do {
            while offset < input.count {
                if stop(messages) { break }
                let consumed = try input.withUnsafeBytes { all in
                    try parser.parse(UnsafeRawBufferPointer(rebasing: all[offset ..< available]), emit)
                }
                offset += consumed
                if offset == available {
                    available = min(available + (step == Int.max ? input.count : step), input.count)
                } else if consumed == 0 {
                    return (messages, HTTPParseError(.badRequest, "TEST HARNESS: parser made no progress"))
                }
            }
            // A bodiless message whose .end is due without more bytes must not wait for them.
            if !stop(messages) {
                _ = try parser.parse(UnsafeRawBufferPointer(start: nil, count: 0), emit)
            }
        } catch let e as HTTPParseError {
            return (messages, e)
        } catch {
            return (messages, HTTPParseError(.badRequest, "unexpected error \(error)"))
        }
        return (messages, nil)
    }
}
