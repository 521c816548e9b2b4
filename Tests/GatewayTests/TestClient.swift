import COpenSSL
import Glibc

/// A blocking loopback client for tests: exact bytes out, bytes in until a condition or a deadline.
final class TestClient {
    let fd: Int32
    private(set) var received: [UInt8] = []
    private(set) var closedByPeer = false
    /// TLS only: the server ended the session with close_notify (not just a dropped socket).
    private(set) var receivedCloseNotify = false
    /// Set for HTTPS: every byte goes through this OpenSSL client session on the blocking socket.
    private var ssl: OpaquePointer?
    private var sslContext: OpaquePointer?

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// `trusting`: a PEM certificate file; when given, the connection is TLS and verified against it.
    init(port: Int, trusting certificate: String? = nil) throws {
        signal(SIGPIPE, SIG_IGN)  // OpenSSL writes with write(2): a server that hung up must not kill the test run
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // A signal can interrupt connect(); the connection then completes in the background.
        // (No close() on failure: a class whose init throws after its properties are set is
        // deinitialised, and deinit closes fd; closing here too would close a descriptor number
        // another thread may already have been given.)
        if result != 0 {
            guard errno == EINTR else { throw Failure(description: "connect: \(errno)") }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            while poll(&pfd, 1, 10_000) < 0 && errno == EINTR {}
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0, pfd.revents & Int16(POLLOUT) != 0 else {
                throw Failure(description: "connect: \(error)")
            }
        }
        if let certificate { try startTLS(trusting: certificate) }
    }

    private func startTLS(trusting certificate: String) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw Failure(description: "SSL_CTX_new") }
        sslContext = context
        guard SSL_CTX_load_verify_locations(context, certificate, nil) == 1 else { throw Failure(description: "cannot load \(certificate)") }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard let ssl = SSL_new(context) else { throw Failure(description: "SSL_new") }
        self.ssl = ssl
        _ = lensgpt_ssl_set_tlsext_host_name(ssl, "localhost")
        SSL_set_fd(ssl, fd)
        // A blocking socket still returns EINTR when a signal lands (other tests start and reap
        // processes); OpenSSL reports that as WANT_READ/WANT_WRITE, which means "call again".
        let deadline = Self.now() + 30
        while true {
            let result = SSL_connect(ssl)
            if result == 1 { return }
            guard interrupted(Int(result)), Self.now() < deadline else {
                throw Failure(description: "TLS handshake failed: SSL error \(SSL_get_error(ssl, result)), errno \(errno), \(Self.openSSLError())")
            }
        }
    }

    private static func openSSLError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if let ssl { SSL_free(ssl) }
        if let sslContext { SSL_CTX_free(sslContext) }
        close(fd)
    }

    /// One read from the socket (or the TLS session): bytes, 0 at EOF or on error, nil when a
    /// signal interrupted it (read again).
    private func receive(into buffer: inout [UInt8]) -> Int? {
        if let ssl {
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 { return Int(n) }
            if SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN { receivedCloseNotify = true }
            return interrupted(Int(n)) ? nil : 0
        }
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && interrupted(n) { return nil }
        return max(n, 0)
    }

    /// Whether a read would return at once (TLS may hold decrypted bytes the socket no longer shows).
    private func readable(timeoutMillis: Int32) -> Bool {
        if let ssl, SSL_pending(ssl) > 0 { return true }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, timeoutMillis) > 0
    }

    /// Whether a failed call was only interrupted by a signal (call it again).
    private func interrupted(_ result: Int) -> Bool {
        guard let ssl else { return errno == EINTR }
        let error = SSL_get_error(ssl, Int32(result))
        return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE || (error == SSL_ERROR_SYSCALL && errno == EINTR)
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n: Int = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return -1 }
                if let ssl { return Int(SSL_write(ssl, base + offset, Int32(bytes.count - offset))) }
                return Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 && interrupted(n) { continue }
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
            guard readable(timeoutMillis: Int32(left * 1000) + 1) else { continue }
            guard let n = receive(into: &buffer) else { continue }
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
            guard readable(timeoutMillis: Int32(left * 1000) + 1) else { continue }
            guard let n = receive(into: &buffer) else { continue }
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

    /// Reads the next response on a keep-alive connection and drops its bytes from `received`.
    func nextResponse(timeout: Double = 10) throws -> HTTPMessage {
        var message: HTTPMessage?
        var rest: ArraySlice<UInt8> = []
        try read(until: { bytes in
            var slice = bytes[...]
            message = HTTPMessage.parseOne(&slice)
            rest = slice
            return message != nil
        }, timeout: timeout)
        guard let message else { throw Failure(description: "no response") }
        received = Array(rest)
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
