/// The head of a request a browser sends its HTTP proxy: `CONNECT host:port` for a tunnel, or an
/// absolute-form `GET http://host[:port]/path` for plain http. Parsed strictly; anything unusual
/// is refused rather than guessed at, so the host checked is the host connected to.
struct ProxyRequestHead {
    let method: String
    /// `CONNECT`: nil. Otherwise the origin-form target sent to the site (`/path?query`).
    let path: String?
    let host: String
    let port: Int
    let version: String
    /// Header lines as received, without the request line.
    let headers: [(name: String, value: String)]

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    var isConnect: Bool { method == "CONNECT" }

    init(_ text: String) throws(Invalid) {
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw Invalid(description: "empty request") }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard requestLine.count == 3, requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0",
              !requestLine[0].isEmpty, requestLine[0].utf8.allSatisfy({ (0x41...0x5A).contains($0) })
        else { throw Invalid(description: "not an HTTP/1.x request line") }
        method = requestLine[0]
        version = requestLine[2]
        var headers: [(String, String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), line.first != " ", line.first != "\t" else {
                throw Invalid(description: "malformed header line")
            }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        self.headers = headers

        let target = requestLine[1]
        let authority: Substring
        if method == "CONNECT" {
            authority = target[...]
            path = nil
        } else {
            guard target.lowercased().hasPrefix("http://") else {
                throw Invalid(description: "only absolute http:// targets are proxied (https goes by CONNECT)")
            }
            let rest = target.dropFirst("http://".count)
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            authority = rest[..<end]
            let tail = rest[end...]
            path = tail.isEmpty ? "/" : (tail.first == "?" ? "/" + tail : String(tail))
        }
        (host, port) = try ProxyRequestHead.split(authority, defaultPort: method == "CONNECT" ? nil : 80)
    }

    /// `host:port`, `[v6]:port`; refuses user info, empty hosts and characters hosts never have
    /// (a backslash, a space, a percent sign), where parsers disagree.
    static func split(_ authority: Substring, defaultPort: Int?) throws(Invalid) -> (String, Int) {
        guard !authority.contains("@"), !authority.contains("\\"), !authority.contains("%"),
              authority.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Invalid(description: "ambiguous authority \(authority.prefix(100))")
        }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid(description: "unclosed IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw Invalid(description: "junk after IPv6 literal") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, !host.contains(":") || authority.hasPrefix("[") else { throw Invalid(description: "no host") }
        let port: Int
        if let portText {
            guard let parsed = Int(portText), (1...65_535).contains(parsed) else { throw Invalid(description: "bad port") }
            port = parsed
        } else {
            guard let defaultPort else { throw Invalid(description: "CONNECT needs a port") }
            port = defaultPort
        }
        return (host.lowercased(), port)
    }

    /// The head to send on: origin-form for a site (`forProxy` false) or absolute-form for an
    /// upstream proxy, hop-by-hop proxy headers dropped, and `Connection: close` (one request per
    /// connection, so every request is checked on its own). `address`: the checked address the
    /// upstream proxy is to connect to in place of the name (the `Host` header keeps the name).
    func serialized(forProxy: Bool, address: IPAddress? = nil) -> String {
        func authority(_ host: String) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
        let named = authority(host)
        let connectTo = address.map { authority($0.description) } ?? named
        var target = path ?? connectTo
        if forProxy && !isConnect { target = "http://\(connectTo)\(target)" }
        var out = "\(method) \(target) \(version)\r\n"
        let dropped: Set<String> = ["connection", "proxy-connection", "proxy-authorization", "keep-alive"]
        for (name, value) in headers where !dropped.contains(name.lowercased()) { out += "\(name): \(value)\r\n" }
        if address != nil && header("host") == nil { out += "Host: \(named)\r\n" }  // the site still sees its name
        if !isConnect { out += "Connection: close\r\n" }
        return out + "\r\n"
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
