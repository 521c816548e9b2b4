import Foundation
import HTTP

/// One part as the parser reported it.
struct ParsedPart: Equatable {
    var head: MultipartPartHead
    var data: [UInt8] = []
    var ended = false

    var isFile: Bool { head.filename != nil }
}

enum MultipartRun {
    /// Feeds `chunks` in order (each possibly re-split into `step`-byte feeds), then calls finish().
    static func run(_ chunks: [[UInt8]], boundary: String, step: Int = Int.max,
                    limits: MultipartLimits = MultipartLimits()) -> (parts: [ParsedPart], error: MultipartError?)
    {
        var parser = MultipartParser(boundary: boundary, limits: limits)
        var parts: [ParsedPart] = []
        let emit: (MultipartEvent) throws -> Void = { event in
            switch event {
            case .partBegin(let head): parts.append(ParsedPart(head: head))
            case .partData(let d): parts[parts.count - 1].data += Array(d)
            case .partEnd: parts[parts.count - 1].ended = true
            }
        }
        do {
            for chunk in chunks {
                var i = 0
                while i < chunk.count {
                    let end = min(chunk.count, i &+ step)
                    try chunk.withUnsafeBytes { try parser.feed(UnsafeRawBufferPointer(rebasing: $0[i ..< end]), emit) }
                    i = end
                }
            }
            try parser.finish()
            if !parser.isComplete { return (parts, MultipartError("TEST HARNESS: finish passed but not complete")) }
        } catch let e as MultipartError {
            return (parts, e)
        } catch {
            return (parts, MultipartError("unexpected error \(error)"))
        }
        return (parts, nil)
    }

    /// Runs whole and one byte at a time; returns the whole result, or a problem if they differ.
    static func runBothWays(_ body: [UInt8], boundary: String, limits: MultipartLimits = MultipartLimits())
        -> (parts: [ParsedPart], error: MultipartError?, problem: String?)
    {
        let whole = run([body], boundary: boundary, limits: limits)
        let bytewise = run([body], boundary: boundary, step: 1, limits: limits)
        if whole.parts != bytewise.parts || (whole.error == nil) != (bytewise.error == nil) {
            return (whole.parts, whole.error, "byte-at-a-time differs: \(summary(whole.parts)) \(String(describing: whole.error)) vs \(summary(bytewise.parts)) \(String(describing: bytewise.error))")
        }
        return (whole.parts, whole.error, nil)
    }

    static func summary(_ parts: [ParsedPart]) -> String {
        parts.map { "\($0.head.name ?? "nil")/\($0.head.filename ?? "-")[\($0.data.count)B]" }.joined(separator: ", ")
    }

    /// What a consumer would do with `Content-Transfer-Encoding` (the parser hands on raw bytes):
    /// base64 and quoted-printable, as python-multipart and formidable's expectations assume.
    static func decodeTransferEncoding(_ part: ParsedPart) -> [UInt8] {
        let cte = part.head.headers["Content-Transfer-Encoding"]?.lowercased()
        if cte == "base64" {
            return Data(base64Encoded: Data(part.data), options: .ignoreUnknownCharacters).map { Array($0) } ?? []
        }
        if cte == "quoted-printable" {
            var out: [UInt8] = []
            var i = 0
            let d = part.data
            while i < d.count {
                if d[i] == 0x3D, i + 2 < d.count, let h = hexDigit(d[i + 1]), let l = hexDigit(d[i + 2]) {
                    out.append(UInt8(h * 16 + l))
                    i += 3
                } else if d[i] == 0x3D, i + 2 < d.count, d[i + 1] == 0x0D, d[i + 2] == 0x0A {
                    i += 3  // soft line break
                } else {
                    out.append(d[i])
                    i += 1
                }
            }
            return out
        }
        return part.data
    }
}

/// SHA-1, only to check formidable's expected digests (Foundation on Linux has no digest API).
enum SHA1 {
    static func hex(_ message: [UInt8]) -> String {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var m = message
        let bitLength = UInt64(message.count) * 8
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for s in stride(from: 56, through: 0, by: -8) { m.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(s))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: m.count, by: 64) {
            for t in 0 ..< 16 {
                w[t] = (0 ..< 4).reduce(UInt32(0)) { $0 << 8 | UInt32(m[chunk + 4 * t + $1]) }
            }
            for t in 16 ..< 80 {
                let x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
                w[t] = x << 1 | x >> 31
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0 ..< 80 {
                let (f, k): (UInt32, UInt32)
                switch t {
                case 0 ..< 20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20 ..< 40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40 ..< 60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, temp)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.map { String($0, radix: 16).leftPadded(8) }.joined()
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
