import Glibc
import Pipeline
import Producers
import Synchronization
import TestSupport

/// A `PageSource` that reaches the demo world's `.example` sites the way a proxied client
/// does: one connection per page to the proxy, the request in absolute form, `Connection:
/// close`, the body read to the end. Bounded in time by poll(2), so a page that never answers
/// ends in `fetch_timeout`.
final class ProxyPageSource: PageSource {
    let proxyPort: Int
    let defaultTimeoutMillis: Int
    let fetched = Mutex<[String]>([])

    init(proxyURL: String, timeoutMillis: Int = 5_000) {
        proxyPort = proxyURL.split(separator: ":").last.flatMap { Int($0) } ?? 0
        defaultTimeoutMillis = timeoutMillis
    }

    var fetchedURLs: [String] { fetched.withLock { $0 } }

    func fetchPage(_ url: String) throws -> (url: String, status: Int, body: [UInt8]) {
        try fetchPage(url, timeoutMillis: defaultTimeoutMillis)
    }

    func fetchPage(_ url: String, timeoutMillis: Int) throws -> (url: String, status: Int, body: [UInt8]) {
        fetched.withLock { $0.append(url) }
        guard url.hasPrefix("http://") else { throw StageError(code: "fetch_blocked", message: "not http: \(url)") }
        let rest = url.dropFirst(7)
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        let deadline = now() + timeoutMillis
        guard let fd = try? connectLoopback(port: proxyPort, flags: Int32(SOCK_CLOEXEC.rawValue)) else {
            throw StageError(code: "fetch_failed", message: "cannot reach the proxy")
        }
        defer { close(fd) }
        let request = Array("GET \(url) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: shops-test\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let left = deadline - now()
            guard left > 0 else { throw StageError(code: "fetch_timeout", message: "\(url): no answer within \(timeoutMillis) ms") }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(left))
            if ready == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        guard let split = response.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw StageError(code: "fetch_failed", message: "\(url): no HTTP response")
        }
        let head = String(decoding: response[..<split.lowerBound], as: UTF8.self)
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        guard (200..<300).contains(status) else { throw StageError(code: "fetch_status", message: "\(url): status \(status)") }
        return (url, status, Array(response[split.upperBound...]))
    }

    private func now() -> Int {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t.tv_sec * 1_000 + t.tv_nsec / 1_000_000
    }
}
