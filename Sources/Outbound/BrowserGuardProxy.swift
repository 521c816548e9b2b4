import CEpoll
import Dispatch
import Glibc
import Synchronization

/// What the browser's guard proxy lets through.
public struct BrowserGuardConfiguration: Sendable {
    /// The same rule as page fetches (`--allow-private-fetch` lifts it for tests and local shops).
    public var addresses = AddressPolicy()
    /// `host:port` origins set by the operator (the Lens start URL, the demo world's own server):
    /// reached whatever they resolve to. Pages cannot add to this list.
    public var trustedOrigins: Set<String> = []
    /// `host:port` of a proxy every other request goes through (`--lens-proxy`, the demo world's
    /// `.example` web). Its own address is configuration. The host asked of it is resolved here
    /// and checked like a direct connection's, and the proxy is asked for the checked address
    /// (`CONNECT 203.0.113.7:443`, `GET http://203.0.113.7:80/…` with the original `Host`), so
    /// a name the proxy would resolve to loopback never reaches it.
    public var upstreamProxy: String?
    /// Domains only the upstream proxy knows (the demo world's `example`): names under them go
    /// to it by name, unresolved. Set by the operator's configuration, never by a page.
    public var upstreamOnlyDomains: Set<String> = []
    /// Every address a host name resolves to (nil: it does not resolve). getaddrinfo unless a
    /// test substitutes its own names.
    public var resolve: @Sendable (_ host: String) -> [IPAddress]? = { ProxySockets.resolve($0) }
    /// Where the guard listens; the browser must be able to reach it (a sidecar needs a
    /// non-loopback address, see `advertisedHost`).
    public var listenHost = "127.0.0.1"
    /// The name the browser uses for the guard (default: `listenHost`).
    public var advertisedHost: String?
    public var connectTimeoutMillis = 10_000
    /// A connection that moves nothing for this long is closed.
    public var idleTimeoutMillis = 60_000
    /// Connections served at once; more get 503 (each holds a thread while it lasts).
    public var maxConnections = 64
    /// Longest request head accepted.
    public var maxHeadBytes = 32 * 1024

    public init() {}

    /// `host:port` of an http(s) URL, as the guard compares origins; nil when it has none.
    public static func origin(of url: String) -> String? {
        let lower = url.lowercased()
        let defaultPort = lower.hasPrefix("https://") ? 443 : lower.hasPrefix("http://") ? 80 : 0
        guard defaultPort != 0 else { return nil }
        let rest = url.dropFirst(defaultPort == 443 ? 8 : 7)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let (host, port) = try? ProxyRequestHead.split(authority, defaultPort: defaultPort) else { return nil }
        return "\(host):\(port)"
    }
}

/// An HTTP proxy inside lens-gpt through which the browser loads everything (Chromium's
/// `--proxy-server`, with `--proxy-bypass-list=<-loopback>` so loopback is not exempt). Each
/// request's host is resolved here, every address checked with `AddressPolicy` — the rule
/// libcurl's page fetches follow — and the connection made to the checked address, so a page
/// the browser opens cannot reach this machine, its network or a metadata service by a 30x,
/// a meta refresh, a script or a URL the browser parses differently from libcurl: the guard
/// sees the host the browser really asked for. One request per connection, so each is checked.
public final class BrowserGuardProxy: Sendable {
    public let configuration: BrowserGuardConfiguration
    public let port: Int
    private let listener: Int32
    private let active = Atomic(0)
    private let closed = Atomic(false)
    private let refused = Mutex<[String]>([])
    private let onRefusal: (@Sendable (String) -> Void)?

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts listening on a free port of `configuration.listenHost`. `onRefusal` hears each refused request (for the log).
    public init(configuration: BrowserGuardConfiguration, onRefusal: (@Sendable (String) -> Void)? = nil) throws(StartError) {
        self.configuration = configuration
        self.onRefusal = onRefusal
        guard let first = ProxySockets.resolve(configuration.listenHost)?.first else {
            throw StartError(description: "browser guard: cannot resolve \(configuration.listenHost)")
        }
        var (storage, length) = ProxySockets.socketAddress(first, port: 0)
        let fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "browser guard: no socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "browser guard: cannot listen on \(configuration.listenHost): \(reason)")
        }
        let portBytes = withUnsafeBytes(of: &storage) { raw -> UInt16 in
            // sin_port and sin6_port sit at the same offset, in network order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
        listener = fd
        port = Int(portBytes)
        DispatchQueue(label: "lens-gpt.browser-guard.accept").async { [self] in acceptLoop() }
    }

    /// What the browser's `--proxy-server` takes.
    public var url: String {
        let host = configuration.advertisedHost ?? configuration.listenHost
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The requests refused so far (the most recent 100), for the log and tests.
    public var refusals: [String] { refused.withLock { $0 } }

    public func shutdown() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { shutdown() }

    private func acceptLoop() {
        while !closed.load(ordering: .acquiring) {
            let client = cepoll_accept_blocking(listener)  // never inherited by a child
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
                    if errno == EMFILE || errno == ENFILE { usleep(10_000) }  // out of descriptors: let some close
                    continue
                }
                return
            }
            guard active.add(1, ordering: .relaxed).newValue <= configuration.maxConnections else {
                respond(client, 503, "Service Unavailable", "lens-gpt browser guard: too many connections")
                close(client)
                active.subtract(1, ordering: .relaxed)
                continue
            }
            DispatchQueue.global().async { [self] in
                serve(client)
                close(client)
                active.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func serve(_ client: Int32) {
        ProxySockets.setTimeouts(client, millis: configuration.idleTimeoutMillis)
        guard let (text, rest) = ProxySockets.readHead(client, limit: configuration.maxHeadBytes) else { return }
        let head: ProxyRequestHead
        do {
            head = try ProxyRequestHead(text)
        } catch {
            return refuse(client, "malformed proxy request: \(error.description)", status: 400)
        }
        let origin = "\(head.host):\(head.port)"
        var upstream: Int32?
        var viaProxy = false
        // What the upstream proxy is asked to connect to: the checked address (nil: the name itself).
        var proxyTarget: IPAddress?
        if configuration.trustedOrigins.contains(origin) {
            upstream = connect(configuration.resolve(head.host) ?? [], port: head.port)
        } else if let proxy = configuration.upstreamProxy, let (host, port) = try? ProxyRequestHead.split(proxy[...], defaultPort: 80) {
            if !configuration.addresses.allowPrivate && !isUpstreamOnly(head.host) {
                switch check(head.host) {
                case .refused(let reason): return refuse(client, "\(origin): \(reason)")
                case .unresolved: return refuse(client, "\(origin): \(head.host) does not resolve, so its address cannot be checked")
                case .allowed(let addresses): proxyTarget = addresses.first
                }
            }
            upstream = connect(configuration.resolve(host) ?? [], port: port)
            viaProxy = true
        } else {
            switch check(head.host) {
            case .refused(let reason): return refuse(client, "\(origin): \(reason)")
            case .unresolved: return respond(client, 502, "Bad Gateway", "lens-gpt browser guard: \(head.host) does not resolve")
            case .allowed(let addresses): upstream = connect(addresses, port: head.port)
            }
        }
        guard let upstream else {
            return respond(client, 502, "Bad Gateway", "lens-gpt browser guard: cannot connect to \(origin)")
        }
        defer { close(upstream) }
        ProxySockets.setTimeouts(upstream, millis: configuration.idleTimeoutMillis)

        if head.isConnect {
            if viaProxy {
                guard ProxySockets.writeAll(upstream, Array(head.serialized(forProxy: true, address: proxyTarget).utf8)) else { return }
            } else {
                guard ProxySockets.writeAll(client, Array("HTTP/1.1 200 Connection Established\r\n\r\n".utf8)) else { return }
            }
            guard ProxySockets.writeAll(upstream, rest) else { return }
            ProxySockets.relay(client, upstream, idleMillis: configuration.idleTimeoutMillis)
            return
        }
        guard head.header("transfer-encoding") == nil else {
            return respond(client, 411, "Length Required", "lens-gpt browser guard: chunked request bodies are not proxied")
        }
        guard let length = Int(head.header("content-length") ?? "0"), length >= 0 else {
            return respond(client, 400, "Bad Request", "lens-gpt browser guard: bad Content-Length")
        }
        let early = Array(rest.prefix(length))
        guard ProxySockets.writeAll(upstream, Array(head.serialized(forProxy: viaProxy, address: proxyTarget).utf8)),
              ProxySockets.writeAll(upstream, early),
              ProxySockets.copy(from: client, to: upstream, count: length - early.count)
        else { return }
        _ = ProxySockets.copy(from: upstream, to: client)
    }

    private enum Verdict {
        case allowed([IPAddress])
        case refused(String)
        case unresolved
    }

    /// The addresses `host` stands for, each checked with the address policy: a literal is
    /// itself, a name is resolved here and refused if any address it resolves to is blocked.
    private func check(_ host: String) -> Verdict {
        if let literal = IPAddress(literal: host) {
            return configuration.addresses.allows(literal) ? .allowed([literal]) : .refused("\(literal), a private or local address")
        }
        if configuration.addresses.refusesHost(host) { return .refused("\(host) always names this machine") }
        guard let addresses = configuration.resolve(host), !addresses.isEmpty else { return .unresolved }
        if let blocked = addresses.first(where: { !configuration.addresses.allows($0) }) {
            return .refused("\(host) resolves to \(blocked), a private or local address")
        }
        return .allowed(addresses)
    }

    private func isUpstreamOnly(_ host: String) -> Bool {
        var name = host
        if name.hasSuffix(".") { name.removeLast() }
        return configuration.upstreamOnlyDomains.contains { name == $0 || name.hasSuffix("." + $0) }
    }

    private func connect(_ addresses: [IPAddress], port: Int) -> Int32? {
        for address in addresses {
            if let fd = ProxySockets.connect(address, port: port, timeoutMillis: configuration.connectTimeoutMillis) {
                return fd
            }
        }
        return nil
    }

    private func refuse(_ client: Int32, _ reason: String, status: Int = 403) {
        refused.withLock { list in
            list.append(reason)
            if list.count > 100 { list.removeFirst(list.count - 100) }
        }
        onRefusal?(reason)
        respond(client, status, status == 403 ? "Forbidden" : "Bad Request", "lens-gpt browser guard refused \(reason)")
    }

    private func respond(_ client: Int32, _ status: Int, _ reason: String, _ message: String) {
        let body = message + "\n"
        let text = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n" + body
        ProxySockets.writeAll(client, Array(text.utf8))
    }
}
