#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the multipart parser reports for each part: `.partBegin`, any number of `.partData`, `.partEnd`.
public enum MultipartEvent {
    case partBegin(MultipartPartHead)
    /// Into the caller's buffer where possible (bytes held back across feeds come from the parser);
    /// valid only during the callback.
    case partData(UnsafeRawBufferPointer)
    case partEnd
}

/// A streaming multipart/form-data parser (RFC 7578 over RFC 2046 framing).
///
/// Memory is bounded whatever the part sizes: part data is handed out in place, and the only bytes
/// held across feeds are a partial delimiter match (a prefix of the constant delimiter, so nothing
/// is copied), up to 64 bytes of transport padding, and one part's header section.
///
/// Choices: a preamble before the first delimiter is skipped (RFC 2046 §5.1.1), so a body whose
/// first line is not the boundary only fails if no delimiter follows at all (at `finish`); a part
/// without `Content-Disposition: form-data` is skipped silently (as busboy does) but counts toward
/// `maxParts`; part headers may use obs-fold (RFC 5322 syntax), CR must be followed by LF;
/// `Content-Transfer-Encoding` is not decoded (RFC 7578 §4.7 deprecates it).
public struct MultipartParser: Sendable {
    let delimiter: [UInt8]  // CRLF "--" boundary
    let limits: MultipartLimits
    var state: State
    /// Before the first delimiter: bytes that fail to match are preamble and are dropped.
    var inPreamble = true
    var headerBuffer: [UInt8] = []
    var padding: [UInt8] = []
    var parts = 0
    /// The current part is emitted (it has a form-data disposition).
    var emitting = false

    enum State: Sendable, Equatable {
        case scan
        case matching(Int)
        case afterDelimiter, dash, padding, paddingCR
        case headers
        case epilogue
        case failed
    }

    static let maxPadding = 64

    public init(boundary: String, limits: MultipartLimits = MultipartLimits()) {
        delimiter = Array("\r\n--".utf8) + Array(boundary.utf8)
        self.limits = limits
        // The first delimiter may open the body without the CRLF: pretend it was there.
        state = .matching(2)
    }

    /// The closing delimiter was seen; any later bytes are epilogue and are ignored.
    public var isComplete: Bool { state == .epilogue }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (MultipartEvent) throws -> Void) throws {
        if state == .failed { throw MultipartError("multipart parser already failed") }
        do {
            try run(bytes, emit)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Call when the body ended: throws unless the closing delimiter was seen (a truncated upload).
    public mutating func finish() throws {
        switch state {
        case .epilogue:
            return
        case .failed:
            throw MultipartError("multipart parser already failed")
        default:
            let what = inPreamble ? "no multipart boundary found in the body" : "multipart body ended before its closing boundary"
            state = .failed
            throw MultipartError(what)
        }
    }

    mutating func run(_ bytes: UnsafeRawBufferPointer, _ emit: (MultipartEvent) throws -> Void) throws {
        let n = bytes.count
        var i = 0
        while i < n {
            switch state {
            case .scan:
                i = try scan(bytes, from: i, emit)
            case .matching(let k):
                if bytes[i] == delimiter[k] {
                    i += 1
                    state = k + 1 == delimiter.count ? .afterDelimiter : .matching(k + 1)
                } else {
                    // Not a delimiter after all: the held prefix is data. It holds no CR but its
                    // first byte, so the current byte is looked at again as possible delimiter start.
                    try heldData(count: k, emit)
                    state = .scan
                }
            case .afterDelimiter, .dash, .padding, .paddingCR:
                try boundaryLineByte(bytes[i], emit)
                i += 1
            case .headers:
                i = try headerBytes(bytes, from: i, emit)
            case .epilogue:
                return
            case .failed:
                throw MultipartError("multipart parser already failed")
            }
        }
    }

    /// Part data (or preamble) up to the next possible delimiter, handed out in place in one piece.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, from start: Int,
                       _ emit: (MultipartEvent) throws -> Void) throws -> Int
    {
        let n = bytes.count
        var j = start
        while let p = Self.indexOfCR(bytes, from: j) {
            let m = min(n - p, delimiter.count)
            if Self.matches(bytes, at: p, delimiter, count: m) {
                try data(bytes, start ..< p, emit)
                state = m == delimiter.count ? .afterDelimiter : .matching(m)
                return p + m
            }
            j = p + 1
        }
        try data(bytes, start ..< n, emit)
        return n
    }

    /// The rest of a delimiter line: "--" closes the body; optional padding then CRLF opens a part.
    /// Anything else means the delimiter-like bytes were data (a boundary must not occur in data,
    /// but being lenient here costs nothing and matches the corpora).
    mutating func boundaryLineByte(_ b: UInt8, _ emit: (MultipartEvent) throws -> Void) throws {
        switch state {
        case .afterDelimiter where b == 0x2D:
            state = .dash
        case .dash where b == 0x2D:
            if emitting { try emit(.partEnd) }
            emitting = false
            inPreamble = false
            state = .epilogue
        case .afterDelimiter where b == 0x20 || b == 0x09, .padding where b == 0x20 || b == 0x09:
            // RFC 2046 transport padding; bounded so a hostile body cannot make us hold it all.
            guard padding.count < Self.maxPadding else {
                throw MultipartError("more than \(Self.maxPadding) bytes of padding after a multipart boundary")
            }
            padding.append(b)
            state = .padding
        case .afterDelimiter where b == 0x0D, .padding where b == 0x0D:
            state = .paddingCR
        case .paddingCR where b == 0x0A:
            padding.removeAll(keepingCapacity: true)
            try beginPartHeaders(emit)
        default:
            // Not a boundary line: hand on what was held and look at this byte again as data. A CR
            // we already consumed may itself start the real delimiter, so it is re-matched.
            let wasCR = state == .paddingCR
            let extra: [UInt8] = state == .dash ? [0x2D] : []
            try heldData(count: delimiter.count, emit)
            if !extra.isEmpty { try dataFromArray(extra, emit) }
            if !padding.isEmpty { try dataFromArray(padding, emit) }
            padding.removeAll(keepingCapacity: true)
            state = wasCR ? .matching(1) : .scan
            try reprocess(b, emit)
        }
    }

    mutating func reprocess(_ b: UInt8, _ emit: (MultipartEvent) throws -> Void) throws {
        var byte = b
        try withUnsafeBytes(of: &byte) { try run($0, emit) }
    }

    mutating func beginPartHeaders(_ emit: (MultipartEvent) throws -> Void) throws {
        if emitting { try emit(.partEnd) }
        emitting = false
        inPreamble = false
        parts += 1
        if parts > limits.maxParts {
            throw MultipartError("more than \(limits.maxParts) parts in the multipart body")
        }
        headerBuffer.removeAll(keepingCapacity: true)
        state = .headers
    }

    /// Emits `count` bytes of the delimiter (held back while they looked like one) as data.
    mutating func heldData(count: Int, _ emit: (MultipartEvent) throws -> Void) throws {
        guard emitting, !inPreamble, count > 0 else { return }
        try delimiter.withUnsafeBytes { try emit(.partData(UnsafeRawBufferPointer(rebasing: $0[0 ..< count]))) }
    }

    func dataFromArray(_ bytes: [UInt8], _ emit: (MultipartEvent) throws -> Void) throws {
        guard emitting, !inPreamble, !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try emit(.partData($0)) }
    }

    func data(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ emit: (MultipartEvent) throws -> Void) throws {
        guard emitting, !inPreamble, !range.isEmpty else { return }
        try emit(.partData(UnsafeRawBufferPointer(rebasing: bytes[range])))
    }

    /// One part's header section, held until its blank line (bounded by maxPartHeaderBytes).
    mutating func headerBytes(_ bytes: UnsafeRawBufferPointer, from start: Int,
                              _ emit: (MultipartEvent) throws -> Void) throws -> Int
    {
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            let previous = headerBuffer.last
            if previous == 0x0D && b != 0x0A { throw MultipartError("CR not followed by LF in part headers") }
            if b == 0x0A && previous != 0x0D { throw MultipartError("bare LF in part headers") }
            headerBuffer.append(b)
            if headerBuffer.count > limits.maxPartHeaderBytes {
                throw MultipartError("part header section larger than \(limits.maxPartHeaderBytes) bytes")
            }
            if b == 0x0A && (headerBuffer.count == 2 || headerBuffer.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A])) {
                let head = try MultipartPartHeaderParser.parse(headerBuffer.dropLast(2), limits: limits)
                headerBuffer.removeAll(keepingCapacity: true)
                if let head {
                    emitting = true
                    try emit(.partBegin(head))
                }
                state = .scan
                return i
            }
        }
        return i
    }

    @inline(__always)
    static func indexOfCR(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        // memchr is vectorised by libc; this is the whole cost of scanning part data.
        guard let hit = memchrCR(base + from, bytes.count - from) else { return nil }
        return hit - base
    }

    @inline(__always)
    static func matches(_ bytes: UnsafeRawBufferPointer, at p: Int, _ pattern: [UInt8], count: Int) -> Bool {
        var k = 1  // bytes[p] is the CR that was searched for
        while k < count {
            if bytes[p + k] != pattern[k] { return false }
            k += 1
        }
        return true
    }
}

@inline(__always)
func memchrCR(_ p: UnsafeRawPointer, _ n: Int) -> UnsafeRawPointer? {
    memchr(p, 0x0D, n).map { UnsafeRawPointer($0) }
}
