import HTTP
import JSON

/// What the gateway serves in demo mode besides the API and `web/`: the sample photos, and the
/// `.example` web (shop pages, listings, product images) for people's browsers, which know no
/// proxy: `http://www.nordlys.example/products/x` is `/demo/web/www.nordlys.example/products/x`.
extension DemoWorld {
    /// The gateway's path prefix for the `.example` web.
    public static let webPrefix = "/demo/web/"

    /// The gateway's `extraResponder` in demo mode.
    public func gatewayResponse(_ head: HTTPRequestHead) -> HTTPResponse? {
        if let sample = DemoWorld.sampleResponse(head) { return sample }
        guard head.method == "GET" || head.method == "HEAD" else { return nil }
        if head.path == "/demo/links.json" {
            // The page asks for this once: links and images on these hosts open through the gateway.
            return .json(.ok, ["host_suffix": ".example", "prefix": .string(DemoWorld.webPrefix)])
        }
        guard head.path.hasPrefix(DemoWorld.webPrefix) else { return nil }
        let rest = head.path.dropFirst(DemoWorld.webPrefix.count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = rest[..<slash].lowercased()
        guard ShopSites.serves(host) else {
            return .error(.notFound, code: "not_found", message: "the demo web has only .example sites")
        }
        let path = rest[slash...].isEmpty ? "/" : String(rest[slash...])
        switch shops.answer(host: host, path: path, query: head.query.map(String.init)) {
        case .hang:
            return .error(HTTPStatus(504, "Gateway Timeout"), code: "demo_hang", message: "this demo listing never answers (on purpose)")
        case .page(var response):
            if response.headers["Content-Type"]?.hasPrefix("text/html") == true {
                response.body = DemoWorld.throughGateway(response.body)
            }
            return response
        }
    }

    /// `http://<host>.example` in a page becomes `/demo/web/<host>.example`, so the page's own
    /// links keep working in a browser.
    static func throughGateway(_ html: [UInt8]) -> [UInt8] {
        let scheme = Array("http://".utf8)
        let suffix = Array(".example".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(html.count + 256)
        var i = 0
        while i < html.count {
            if html[i] == scheme[0], html[i...].starts(with: scheme) {
                var end = i + scheme.count
                while end < html.count, isHostByte(html[end]) { end += 1 }
                let host = html[(i + scheme.count)..<end]
                if host.count > suffix.count, host.suffix(suffix.count).elementsEqual(suffix) {
                    out.append(contentsOf: webPrefix.utf8)
                    out.append(contentsOf: host)
                    i = end
                    continue
                }
            }
            out.append(html[i])
            i += 1
        }
        return out
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E || (byte >= 0x41 && byte <= 0x5A)
    }
}
