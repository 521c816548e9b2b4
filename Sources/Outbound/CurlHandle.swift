import CEpoll
import CCurl
import Glibc
import Synchronization

/// One libcurl easy handle. Reused across requests (keeps connections and DNS warm), never
/// shared between threads at once: the client hands it to one request at a time.
// @unchecked: the CURL* is touched only by the request that took it out of the client's pool.
final class CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init?() {
        CurlGlobal.initialise()
        guard let handle = curl_easy_init() else { return nil }
        raw = handle
    }

    deinit { curl_easy_cleanup(raw) }

    func reset() { curl_easy_reset(raw) }

    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> CURLcode { ccurl_setopt_long(raw, option, value) }

    @discardableResult
    func set(_ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { ccurl_setopt_string(raw, option, $0) }  // libcurl copies string options
    }

    func info(_ item: CURLINFO) -> Int {
        var value = 0
        _ = ccurl_getinfo_long(raw, item, &value)
        return value
    }

    func infoString(_ item: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard ccurl_getinfo_string(raw, item, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// `curl_global_init` must run once, before any other call, and is not thread-safe itself.
enum CurlGlobal {
    private static let done = Mutex(false)

    static func initialise() {
        done.withLock { done in
            guard !done else { return }
            _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
            done = true
        }
    }
}

/// Collects one response; the write callback stops the transfer once the byte cap is passed.
final class ResponseAccumulator {
    let maxBytes: Int
    /// Keep the bytes up to the cap when it is passed (the transfer still stops there).
    let keepsPrefix: Bool
    var body: [UInt8] = []
    var headerLines: [String] = []
    var overflowed = false

    init(maxBytes: Int, keepsPrefix: Bool = false) {
        self.maxBytes = maxBytes
        self.keepsPrefix = keepsPrefix
    }
}

/// libcurl's write callback: appends the chunk, or returns 0 (abort) past the cap.
let curlWriteBody: ccurl_data_callback = { data, size, count, user in
    guard let user, let data else { return 0 }
    let sink = Unmanaged<ResponseAccumulator>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    let room = sink.maxBytes - sink.body.count
    let kept = min(n, max(0, room))
    if kept < n && !sink.keepsPrefix {
        sink.overflowed = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: kept)) }
    if kept < n {
        sink.overflowed = true
        return 0
    }
    return n
}

/// libcurl's header callback: one header line per call, for every response of a redirect chain.
let curlWriteHeader: ccurl_data_callback = { data, size, count, user in
    guard let user, let data else { return 0 }
    let sink = Unmanaged<ResponseAccumulator>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }
    if line.hasPrefix("HTTP/") { sink.headerLines.removeAll() }  // a new response (after a redirect or 100)
    sink.headerLines.append(line)
    return n
}

/// The connect-time address check: libcurl asks this callback for every socket it opens, with the
/// address it is about to connect to, so names that resolve (or re-resolve) to a blocked address are
/// refused before any byte is sent.
final class ConnectGuard {
    let policy: AddressPolicy
    var refused: [String] = []

    init(policy: AddressPolicy) { self.policy = policy }
}

let curlOpenSocket: ccurl_opensocket_callback = { user, _, address in
    guard let user, let address else { return -1 }
    let check = Unmanaged<ConnectGuard>.fromOpaque(user).takeUnretainedValue()
    let family = ccurl_sockaddr_family(address)
    guard let raw = ccurl_sockaddr_addr(address), let ip = IPAddress(socketAddress: raw, family: family) else {
        check.refused.append("an address of family \(family)")
        return -1  // CURL_SOCKET_BAD: libcurl gives up on this address
    }
    guard check.policy.allows(ip) else {
        check.refused.append(ip.description)
        return -1
    }
    return socket(family, ccurl_sockaddr_socktype(address) | Int32(SOCK_CLOEXEC.rawValue), ccurl_sockaddr_protocol(address))
}
