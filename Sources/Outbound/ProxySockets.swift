import CEpoll
import Glibc

/// Blocking socket steps of the guard proxy. Every wait is bounded (`SO_RCVTIMEO`/`SO_SNDTIMEO`,
/// a connect timeout), so a stalled peer costs a thread for a bounded time only.
enum ProxySockets {
    /// Every address `host` resolves to (an address literal is itself), or nil when it does not resolve.
    static func resolve(_ host: String) -> [IPAddress]? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        var out: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let raw = current.pointee.ai_addr, let address = IPAddress(socketAddress: raw, family: current.pointee.ai_family),
               !out.contains(address)
            {
                out.append(address)
            }
            entry = current.pointee.ai_next
        }
        return out.isEmpty ? nil : out
    }

    /// The socket address of `address` and `port`, for bind and connect.
    static func socketAddress(_ address: IPAddress, port: Int) -> (sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        switch address {
        case .v4(let value):
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            v4.sin_addr.s_addr = value.bigEndian
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: &v4) { target.copyMemory(from: $0) } }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        case .v6(let bytes):
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &v6.sin6_addr) { target in
                for (index, byte) in bytes.prefix(16).enumerated() { target[index] = byte }
            }
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: &v6) { target.copyMemory(from: $0) } }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }

    /// A connected socket to exactly this address, or nil (refused, unreachable, timed out).
    static func connect(_ address: IPAddress, port: Int, timeoutMillis: Int) -> Int32? {
        var (storage, length) = socketAddress(address, port: port)
        let fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if started != 0 {
            guard errno == EINPROGRESS else { close(fd); return nil }
            var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard poll(&waiting, 1, Int32(timeoutMillis)) == 1,
                  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0, error == 0
            else { close(fd); return nil }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return fd
    }

    static func setTimeouts(_ fd: Int32, millis: Int) {
        var value = timeval(tv_sec: millis / 1_000, tv_usec: (millis % 1_000) * 1_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads up to the blank line that ends a request head (at most `limit` bytes): the head and
    /// the bytes after it that arrived with it.
    static func readHead(_ fd: Int32, limit: Int) -> (head: String, rest: [UInt8])? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        let end: [UInt8] = [13, 10, 13, 10]
        while buffer.count < limit {
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return nil }
            let from = max(0, buffer.count - 3)
            buffer += chunk[0..<n]
            var index = from
            while index + 4 <= buffer.count {
                if buffer[index] == 13 && Array(buffer[index..<index + 4]) == end {
                    return (String(decoding: buffer[0..<index], as: UTF8.self), Array(buffer[(index + 4)...]))
                }
                index += 1
            }
        }
        return nil
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Copies `count` bytes (nil: until end of file) from `source` to `target`.
    static func copy(from source: Int32, to target: Int32, count: Int? = nil) -> Bool {
        var left = count ?? Int.max
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while left > 0 {
            let n = recv(source, &chunk, min(chunk.count, left), 0)
            if n == 0 { return count == nil }
            guard n > 0, writeAll(target, Array(chunk[0..<n])) else { return false }
            left -= n
        }
        return true
    }

    /// Both directions at once (a CONNECT tunnel) until both ends are done or nothing moves for
    /// `idleMillis`.
    static func relay(_ a: Int32, _ b: Int32, idleMillis: Int) {
        var open = [true, true]  // reading a, reading b
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while open[0] || open[1] {
            var fds = [pollfd(fd: open[0] ? a : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: open[1] ? b : -1, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, Int32(idleMillis)) > 0 else { return }
            for (index, (from, to)) in [(a, b), (b, a)].enumerated() where open[index] && fds[index].revents != 0 {
                let n = recv(from, &chunk, chunk.count, 0)
                if n > 0 {
                    guard writeAll(to, Array(chunk[0..<n])) else { return }
                } else {
                    open[index] = false
                    shutdown(to, Int32(SHUT_WR))
                    if n < 0 { return }
                }
            }
        }
    }
}
