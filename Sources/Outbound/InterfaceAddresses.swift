import Glibc
import Synchronization
import SystemSupport

/// This host's own interface addresses (getifaddrs), re-read at most every few seconds: the
/// address check runs for every outbound connection, and interfaces change rarely.
public final class InterfaceAddresses: Sendable {
    public static let shared = InterfaceAddresses()

    private struct Cache {
        var addresses: [IPAddress] = []
        var readAtMillis: UInt64 = 0
        var valid = false
    }
    private let cache = Mutex(Cache())
    private let refreshMillis: UInt64

    public init(refreshMillis: UInt64 = 5_000) {
        self.refreshMillis = refreshMillis
    }

    public func current() -> [IPAddress] {
        let now = MonotonicClock.nowMillis()
        // Compared by addition: another thread may have stored a later reading than this `now`.
        if let fresh = cache.withLock({ $0.valid && now < $0.readAtMillis &+ refreshMillis ? $0.addresses : nil }) {
            return fresh
        }
        let read = InterfaceAddresses.read()
        cache.withLock { $0 = Cache(addresses: read, readAtMillis: now, valid: true) }
        return read
    }

    /// Every IPv4 and IPv6 address on this host's interfaces, whatever their state.
    public static func read() -> [IPAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            guard let address = entry.pointee.ifa_addr else { continue }
            if let ip = IPAddress(socketAddress: address, family: Int32(address.pointee.sa_family)) {
                addresses.append(ip)
            }
        }
        return addresses
    }
}
