import Foundation
@testable import TLS
import TestSupport

/// A tiny single-threaded server for interop tests: one `poll` loop over a loopback listening
/// socket (free port), the one connection it accepts, and the output of a client child process.
/// It pumps bytes between the socket and a `TLSSession` the way the event loop will, answers
/// the first HTTP request with `response`, then sends close_notify and half-closes.
final class LoopbackTLSServer {
    let listener: Int32
    let port: UInt16

    struct Exchange {
        var request = ""
        var protocolVersion: String?
        var alpn: String?
        var error: TLSError?
        var client = ProcessRunner.Output(status: -1, stdout: "", stderr: "")
    }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0 // the kernel picks a free port
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw TestFailure("bind/listen: \(String(cString: strerror(errno)))")
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(listener) }

    /// Serves one connection from `client` until the client exits, or fails after `timeout` seconds.
    func serve(context: TLSContext, response: String, client: RunningProcess, timeout: Double = 30) throws -> Exchange {
        var exchange = Exchange()
        var connection: Int32 = -1
        var accepted = false
        var session: TLSSession?
        var plaintext: [UInt8] = []
        var responded = false
        defer { if connection >= 0 { close(connection) } }

        func flush() {
            guard let session, connection >= 0 else { return }
            var ciphertext: [UInt8] = []
            session.takeCiphertext(into: &ciphertext)
            var offset = 0
            while offset < ciphertext.count {
                let sent = ciphertext[offset...].withUnsafeBytes {
                    send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else { return }
                offset += sent
            }
        }
        func finishConnection() {
            if connection >= 0 { close(connection) }
            connection = -1
        }

        while !client.finished || connection >= 0 {
            guard client.elapsed < timeout else {
                client.kill()
                throw TestFailure("no result within \(timeout) s; client said: \(client.waitForExit())")
            }
            var fds: [pollfd] = []
            if !accepted { fds.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0)) }
            if connection >= 0 { fds.append(pollfd(fd: connection, events: Int16(POLLIN), revents: 0)) }
            if client.outOpen { fds.append(pollfd(fd: client.stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if client.errOpen { fds.append(pollfd(fd: client.stderrFD, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty { break }
            if poll(&fds, nfds_t(fds.count), client.remainingMilliseconds(deadline: timeout)) < 0 && errno != EINTR {
                throw TestFailure("poll: \(String(cString: strerror(errno)))")
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == listener {
                    connection = accept(listener, nil, nil)
                    accepted = true
                    session = try TLSSession(context: context)
                } else if entry.fd == connection, let session {
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        buffer[0..<count].withUnsafeBytes { session.receiveCiphertext($0) }
                    } else {
                        session.receiveEndOfStream()
                    }
                    do {
                        let state = try session.readPlaintext(into: &plaintext)
                        exchange.protocolVersion = session.protocolVersion ?? exchange.protocolVersion
                        exchange.alpn = session.negotiatedALPN ?? exchange.alpn
                        if !responded, let end = Self.endOfHead(plaintext) {
                            exchange.request = String(decoding: plaintext[..<end], as: UTF8.self)
                            try session.writePlaintext(Array(response.utf8))
                            session.shutdown()
                            responded = true
                            flush()
                            // Half-close and read on until the client closes: closing with
                            // unread input would reset the connection under the response.
                            Glibc.shutdown(connection, Int32(SHUT_WR))
                        }
                        flush()
                        if count <= 0 || state == .closed && responded { finishConnection() }
                    } catch {
                        // After our close_notify, how the client ends is its business.
                        if !responded { exchange.error = error }
                        flush()
                        finishConnection()
                    }
                } else {
                    client.readAvailable(fd: entry.fd)
                }
            }
        }
        exchange.client = client.waitForExit()
        return exchange
    }

    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<index + 4].elementsEqual(marker) {
            return index + 4
        }
        return nil
    }
}
