import Glibc

/// Whether this host can reach the internet, as far as can be told without sending anything:
/// a default route (IPv4 or IPv6) through an interface other than loopback whose link is not
/// down. Read from procfs and sysfs, so a probe costs a few small file reads. It cannot see a
/// dead upstream; it does see an unplugged cable, a downed interface and a lost DHCP lease.
public struct NetworkReadiness: Sendable {
    let ipv4Routes: String
    let ipv6Routes: String
    /// `/sys/class/net`: `<interface>/operstate` says `up`, `down`, `unknown`, ….
    let interfaces: String

    public init(ipv4Routes: String = "/proc/net/route", ipv6Routes: String = "/proc/net/ipv6_route",
                interfaces: String = "/sys/class/net")
    {
        self.ipv4Routes = ipv4Routes
        self.ipv6Routes = ipv6Routes
        self.interfaces = interfaces
    }

    /// `ok`, `no_route` (no default route) or `link_down` (default routes only through links that are down).
    public func check() -> (state: String, ok: Bool) {
        let candidates = defaultRouteInterfaces()
        if candidates.isEmpty { return ("no_route", false) }
        let up = candidates.contains { name in
            let state = TextFile.read(interfaces + "/" + name + "/operstate")?.trimmedLine ?? "unknown"
            return state != "down" && state != "lowerlayerdown" && state != "notpresent"
        }
        return up ? ("ok", true) : ("link_down", false)
    }

    /// Interfaces that carry a usable default route.
    func defaultRouteInterfaces() -> [String] {
        var names: [String] = []
        // Iface Destination Gateway Flags …  (hex; flag 0x1 is RTF_UP)
        for line in (TextFile.read(ipv4Routes) ?? "").split(separator: "\n").dropFirst() {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count > 3, f[1] == "00000000", let flags = Int(f[3], radix: 16), flags & 0x1 != 0,
                  f[0] != "lo" else { continue }
            names.append(String(f[0]))
        }
        // dest destlen src srclen nexthop metric refcnt use flags iface (flag 0x200 is RTF_REJECT)
        for line in (TextFile.read(ipv6Routes) ?? "").split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count > 9, f[1] == "00", f[0].allSatisfy({ $0 == "0" }), let flags = Int(f[8], radix: 16),
                  flags & 0x1 != 0, flags & 0x200 == 0, f[9] != "lo" else { continue }
            names.append(String(f[9]))
        }
        return names
    }
}

extension String {
    fileprivate var trimmedLine: String {
        String(self.filter { $0 != "\n" && $0 != " " })
    }
}
