/// The chunked transfer coding (RFC 9112 §7.1): hex sizes with overflow checks, extensions parsed
/// for syntax and bounded (their content is not used), data handed out in place by `parse`.
extension HTTPRequestParser {
    mutating func chunkByte(_ b: UInt8) throws {
        switch state {
        case .chunkDataCR:
            guard b == cr else { throw HTTPParseError(.badRequest, "expected CRLF after chunk data") }
            state = .chunkDataLF
            return
        case .chunkDataLF:
            guard b == lf else { throw HTTPParseError(.badRequest, "expected LF after chunk data") }
            chunkSize = 0
            chunkLineBytes = 0
            state = .chunkSize(sawDigit: false)
            return
        case .chunkSizeLF:
            guard b == lf else { throw HTTPParseError(.badRequest, "expected LF after chunk size") }
            if chunkSize == 0 {
                // Last chunk: the trailer section follows, read like headers but into its own budget.
                inTrailers = true
                sectionBytes = 0
                sectionFields = 0
                firstLine = false
                state = .lineStart
            } else {
                state = .chunkData(chunkSize)
            }
            return
        default:
            break
        }
        chunkLineBytes += 1
        if chunkLineBytes > limits.maxChunkLineBytes {
            throw HTTPParseError(.badRequest, "chunk size line longer than \(limits.maxChunkLineBytes) bytes")
        }
        switch state {
        case .chunkSize(let sawDigit):
            if let d = HTTPSyntax.hexValue(b) {
                let (m, o1) = chunkSize.multipliedReportingOverflow(by: 16)
                let (s, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { throw HTTPParseError(.badRequest, "chunk size overflow") }
                chunkSize = s
                let (total, o3) = bodyTotal.addingReportingOverflow(chunkSize)
                if o3 { throw HTTPParseError(.bodyTooLarge, "chunked body too large") }
                if let max = limits.maxBodyBytes, total > max {
                    throw HTTPParseError(.bodyTooLarge, "chunked body above the limit of \(max) bytes")
                }
                state = .chunkSize(sawDigit: true)
            } else if sawDigit && b == cr {
                bodyTotal += chunkSize
                state = .chunkSizeLF
            } else if sawDigit && b == 0x3B {
                state = .chunkExtName(empty: true)
            } else {
                throw HTTPParseError(.badRequest, "invalid character in chunk size")
            }
        case .chunkExtName(let empty):
            if HTTPSyntax.isToken(b) {
                state = .chunkExtName(empty: false)
            } else if !empty && b == 0x3D {
                state = .chunkExtValueStart
            } else if !empty && b == 0x3B {
                state = .chunkExtName(empty: true)
            } else if !empty && b == cr {
                bodyTotal += chunkSize
                state = .chunkSizeLF
            } else {
                throw HTTPParseError(.badRequest, "invalid character in chunk extension")
            }
        case .chunkExtValueStart:
            if b == 0x22 {
                state = .chunkExtQuoted
            } else if HTTPSyntax.isToken(b) {
                state = .chunkExtToken
            } else {
                throw HTTPParseError(.badRequest, "invalid character in chunk extension value")
            }
        case .chunkExtToken:
            if HTTPSyntax.isToken(b) { break }
            try chunkExtEnd(b)
        case .chunkExtQuoted:
            if b == 0x22 {
                state = .chunkExtQuotedEnd
            } else if b == 0x5C {
                state = .chunkExtEscape
            } else if !(b == htab || (b >= 0x20 && b != 0x7F)) {
                throw HTTPParseError(.badRequest, "invalid character in quoted chunk extension")
            }
        case .chunkExtEscape:
            guard b == htab || (b >= 0x20 && b != 0x7F) else {
                throw HTTPParseError(.badRequest, "invalid escape in quoted chunk extension")
            }
            state = .chunkExtQuoted
        case .chunkExtQuotedEnd:
            try chunkExtEnd(b)
        default:
            break
        }
    }

    mutating func chunkExtEnd(_ b: UInt8) throws {
        if b == 0x3B {
            state = .chunkExtName(empty: true)
        } else if b == cr {
            bodyTotal += chunkSize
            state = .chunkSizeLF
        } else {
            throw HTTPParseError(.badRequest, "invalid character after chunk extension")
        }
    }
}

extension HTTPSyntax {
    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30 ... 0x39: return Int(b - 0x30)
        case 0x41 ... 0x46: return Int(b - 0x41 + 10)
        case 0x61 ... 0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }
}
