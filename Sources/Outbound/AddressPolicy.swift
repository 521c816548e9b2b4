/// Which addresses outbound page fetches may connect to: the SSRF guard's rule. Page links come
/// from the internet, so they must not reach this machine, its network, or a cloud metadata service.
public struct AddressPolicy: Sendable {
    /// `--allow-private-fetch`: the demo world and tests serve pages on loopback.
    public var allowPrivate: Bool

    public init(allowPrivate: Bool = false) {
        self.allowPrivate = allowPrivate
    }

    public func allows(_ address: IPAddress) -> Bool {
        allowPrivate || !AddressPolicy.isPrivate(address)
    }

    /// Whether a host name as written in a URL is refused before any lookup: an address literal
    /// in a blocked range, or a name that always means this machine.
    public func refusesHost(_ host: String) -> Bool {
        guard !allowPrivate else { return false }
        if let address = IPAddress(literal: host) { return AddressPolicy.isPrivate(address) }
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name == "localhost" || name.hasSuffix(".localhost")  // RFC 6761: always loopback
    }

    /// Loopback, private, shared (CGNAT), link-local (cloud metadata at 169.254.169.254),
    /// multicast, reserved, broadcast and unspecified addresses, in IPv4 and IPv6, and IPv6 forms
    /// that embed such an IPv4 address.
    public static func isPrivate(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a):
            return isPrivateV4(a)
        case .v6(let b):
            guard b.count == 16 else { return true }
            if let v4 = address.embeddedIPv4 { return isPrivateV4(v4) }
            if b.allSatisfy({ $0 == 0 }) { return true }  // ::
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return true }  // ::1
            if b[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
            if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
            if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return true }  // fec0::/10 old site-local
            if b[0] == 0xFF { return true }  // ff00::/8 multicast
            return false
        }
    }

    private static func isPrivateV4(_ a: UInt32) -> Bool {
        func inRange(_ base: UInt32, _ bits: UInt32) -> Bool {
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return a & mask == base
        }
        return inRange(0x0000_0000, 8)  // 0/8 "this network" (0.0.0.0 reaches loopback on Linux)
            || inRange(0x0A00_0000, 8)  // 10/8
            || inRange(0x6440_0000, 10)  // 100.64/10 shared address space
            || inRange(0x7F00_0000, 8)  // 127/8 loopback
            || inRange(0xA9FE_0000, 16)  // 169.254/16 link-local, cloud metadata
            || inRange(0xAC10_0000, 12)  // 172.16/12
            || inRange(0xC000_0000, 24)  // 192.0.0/24 protocol assignments
            || inRange(0xC0A8_0000, 16)  // 192.168/16
            || inRange(0xC612_0000, 15)  // 198.18/15 benchmarking
            || inRange(0xE000_0000, 4)  // 224/4 multicast
            || inRange(0xF000_0000, 4)  // 240/4 reserved, and 255.255.255.255
    }
}
