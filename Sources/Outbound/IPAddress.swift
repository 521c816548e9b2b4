import Glibc

/// An IPv4 or IPv6 address as the bytes a socket connects to.
public enum IPAddress: Sendable, Equatable, CustomStringConvertible {
    /// Host byte order: 127.0.0.1 is 0x7F00_0001.
    case v4(UInt32)
    /// Sixteen bytes, network order.
    case v6([UInt8])

    /// Parses what a URL host may spell as an address: dotted quads and the older forms that
    /// `inet_aton` (and therefore libcurl and browsers) also accept (`2130706433`, `0x7f.1`,
    /// `0177.0.0.1`), and IPv6 with or without brackets. nil for a host name.
    public init?(literal host: String) {
        var text = host
        if text.hasPrefix("[") && text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // IPv6 zone id
        if text.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
            self = .v6(withUnsafeBytes(of: &raw) { Array($0) })
            return
        }
        // A trailing dot names the same host ("127.0.0.1." is loopback too).
        if text.hasSuffix(".") { text.removeLast() }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var raw = in_addr()
        guard inet_aton(text, &raw) != 0 else { return nil }
        self = .v4(UInt32(bigEndian: raw.s_addr))
    }

    /// Reads a `sockaddr_in` / `sockaddr_in6`; nil for other families.
    init?(socketAddress: UnsafePointer<sockaddr>, family: Int32) {
        switch family {
        case AF_INET:
            let address = UnsafeRawPointer(socketAddress).loadUnaligned(as: sockaddr_in.self)
            self = .v4(UInt32(bigEndian: address.sin_addr.s_addr))
        case AF_INET6:
            var address = UnsafeRawPointer(socketAddress).loadUnaligned(as: sockaddr_in6.self)
            self = .v6(withUnsafeBytes(of: &address.sin6_addr) { Array($0) })
        default:
            return nil
        }
    }

    /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) or
    /// NAT64 (`64:ff9b::a.b.c.d`) IPv6 address: each reaches that IPv4 host.
    public var embeddedIPv4: UInt32? {
        guard case .v6(let b) = self, b.count == 16 else { return nil }
        let tail = UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15])
        let zeroHead = b[0..<10].allSatisfy { $0 == 0 }
        if zeroHead && b[10] == 0xFF && b[11] == 0xFF { return tail }
        if zeroHead && b[10] == 0 && b[11] == 0 && tail > 1 { return tail }  // not :: or ::1
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) { return tail }
        return nil
    }

    public var description: String {
        switch self {
        case .v4(let a):
            return "\(a >> 24).\(a >> 16 & 0xFF).\(a >> 8 & 0xFF).\(a & 0xFF)"
        case .v6(var bytes):
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard bytes.count == 16, inet_ntop(AF_INET6, &bytes, &text, socklen_t(text.count)) != nil else { return "?" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
