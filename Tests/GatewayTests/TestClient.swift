import Glibc

/// A blocking loopback client for tests: exact bytes out, bytes in until a condition or a deadline.
final class TestClient {
    let fd: Int32
    private(set) var received: [UInt8] = []
    private(set) var closedByPeer = false

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads until `done(received)` holds or the peer closes; fails after `timeout` seconds.
    @discardableResult
    func read(until done: ([UInt8]) -> Bool, timeout: Double = 10) throws -> [UInt8] {
        let deadline = Self.now() + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(received) {
            if closedByPeer { throw Failure(description: "peer closed; got \(text)") }
            let left = deadline - Self.now()
            guard left > 0 else { throw Failure(description: "timed out; got \(text.prefix(2000))") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(left * 1000) + 1)
            if ready <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
            } else {
                closedByPeer = true
            }
        }
        return received
    }

    /// Reads until the peer closes the connection.
    func readToEnd(timeout: Double = 10) throws -> [UInt8] {
        let deadline = Self.now() + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !closedByPeer {
            let left = deadline - Self.now()
            guard left > 0 else { throw Failure(description: "connection not closed in time; got \(text.prefix(500))") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, Int32(left * 1000) + 1) <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 { received.append(contentsOf: buffer[0..<n]) } else { closedByPeer = true }
        }
        return received
    }

    /// Reads until one complete response has arrived and returns it.
    func readResponse(timeout: Double = 10) throws -> HTTPMessage {
        var message: HTTPMessage?
        try read(until: { bytes in
            var slice = bytes[...]
            message = HTTPMessage.parseOne(&slice)
            return message != nil
        }, timeout: timeout)
        guard let message else { throw Failure(description: "no response") }
        return message
    }

    var text: String { String(decoding: received, as: UTF8.self) }

    func contains(_ needle: String) -> Bool { text.contains(needle) }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Bytes helpers for expectations.
extension Array where Element == UInt8 {
    func contains(_ needle: String) -> Bool { String(decoding: self, as: UTF8.self).contains(needle) }
}
