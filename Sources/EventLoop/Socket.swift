import CEpoll
import Glibc

/// Listening-socket helpers.
public enum Socket {
    /// Binds a non-blocking listening socket. `reusePort` lets one socket per loop share the port.
    /// Returns the descriptor and the bound port (useful when `port` is 0).
    public static func listen(host: String, port: Int, backlog: Int32 = 4096, reusePort: Bool) throws -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SystemError("getaddrinfo(\(host)): \(String(cString: gai_strerror(status)))", errno: 0)
        }
        defer { freeaddrinfo(list) }
        var lastError = SystemError("bind", errno: EADDRNOTAVAIL)
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, cepoll_sock_stream(), 0)
            guard fd >= 0 else { lastError = SystemError("socket"); continue }
            _ = cepoll_set_reuseaddr(fd)
            if reusePort { _ = cepoll_set_reuseport(fd) }
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                lastError = SystemError("bind \(host):\(port)")
                Glibc.close(fd)
                continue
            }
            guard Glibc.listen(fd, backlog) == 0 else {
                lastError = SystemError("listen")
                Glibc.close(fd)
                continue
            }
            return (fd, boundPort(fd))
        }
        throw lastError
    }

    static func boundPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return 0 }
        return peerDescription(storage).port
    }

    /// "address" and port of a socket address.
    static func peerDescription(_ storage: sockaddr_storage) -> (host: String, port: Int) {
        var copy = storage
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        /// The text of the address at `address` and the port, for one address family.
        func text<Address>(_ family: Int32, _ type: Address.Type, _ address: KeyPath<Address, some Any>,
                           _ port: KeyPath<Address, in_port_t>) -> (String, Int) {
            withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: Address.self, capacity: 1) { socket in
                    var bytes = socket.pointee[keyPath: address]
                    inet_ntop(family, &bytes, &buffer, socklen_t(buffer.count))
                    return (String(cChars: buffer), Int(UInt16(bigEndian: socket.pointee[keyPath: port])))
                }
            }
        }
        switch Int32(storage.ss_family) {
        case AF_INET: return text(AF_INET, sockaddr_in.self, \.sin_addr, \.sin_port)
        case AF_INET6: return text(AF_INET6, sockaddr_in6.self, \.sin6_addr, \.sin6_port)
        default:
            return ("unknown", 0)
        }
    }

    static func peerAddress(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
        return ok ? peerDescription(storage).host : "unknown"
    }

    /// Raises the soft descriptor limit to the hard one: each connection needs a descriptor.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}

extension String {
    /// A string from a NUL-terminated C buffer.
    init(cChars buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
