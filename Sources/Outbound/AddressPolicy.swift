/// Which addresses outbound page fetches may connect to: the SSRF guard's rule. Page links come
/// from the internet, so they must not reach this machine, its network, or a cloud metadata service.
public struct AddressPolicy: Sendable {
    /// `--allow-private-fetch`: the demo world and tests serve pages on loopback.
    public var allowPrivate: Bool
    /// This host's own interface addresses (a public address of this machine reaches its
    /// services as surely as loopback does).
    let interfaceAddresses: @Sendable () -> [IPAddress]

    public init(allowPrivate: Bool = false,
                interfaceAddresses: @escaping @Sendable () -> [IPAddress] = { InterfaceAddresses.shared.current() })
    {
        self.allowPrivate = allowPrivate
        self.interfaceAddresses = interfaceAddresses
    }

    public func allows(_ address: IPAddress) -> Bool {
        allowPrivate || !(AddressPolicy.isPrivate(address) || isThisHost(address))
    }

    /// One of this host's own interface addresses (an IPv4-mapped spelling included).
    public func isThisHost(_ address: IPAddress) -> Bool {
        let own = interfaceAddresses()
        if own.contains(address) { return true }
        if let v4 = address.embeddedIPv4 { return own.contains(.v4(v4)) }
        return false
    }

    /// Whether a host name as written in a URL is refused before any lookup: an address literal
    /// in a blocked range, or a name that always means this machine.
    public func refusesHost(_ host: String) -> Bool {
        guard !allowPrivate else { return false }
        if let address = IPAddress(literal: host) { return !allows(address) }
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name == "localhost" || name.hasSuffix(".localhost")  // RFC 6761: always loopback
    }

    /// Loopback, private, shared (CGNAT), link-local (cloud metadata at 169.254.169.254),
    /// documentation, multicast, reserved, broadcast and unspecified addresses, in IPv4 and IPv6,
    /// IPv6 forms that embed such an IPv4 address, and IPv6 transition prefixes that lead to
    /// IPv4 hosts of any kind (6to4, local-use NAT64).
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
            if b[0] == 0x20 && b[1] == 0x02 { return true }  // 2002::/16 6to4: tunnels to any IPv4 host
            if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01 {
                return true  // 64:ff9b:1::/48 local-use NAT64 (RFC 8215): translates to local IPv4 networks
            }
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
            || inRange(0xC000_0200, 24)  // 192.0.2/24 TEST-NET-1 (documentation)
            || inRange(0xC633_6400, 24)  // 198.51.100/24 TEST-NET-2
            || inRange(0xCB00_7100, 24)  // 203.0.113/24 TEST-NET-3
            || inRange(0xC0A8_0000, 16)  // 192.168/16
            || inRange(0xC612_0000, 15)  // 198.18/15 benchmarking
            || inRange(0xE000_0000, 4)  // 224/4 multicast
            || inRange(0xF000_0000, 4)  // 240/4 reserved, and 255.255.255.255
    }
}
