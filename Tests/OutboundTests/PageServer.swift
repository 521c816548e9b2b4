import HTTP
import Synchronization
import TestSupport

/// Loopback pages for the fetcher: normal, huge, missing, silent, redirecting; and a proxy that
/// answers absolute-form requests for `*.example` hosts by their Host.
final class PageServer: Sendable {
    /// Shared by the server's handlers and the test.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    let server: HTTPServer
    private let counter = Counter()
    var port: Int { server.port }
    var base: String { "http://127.0.0.1:\(server.port)" }
    /// Requests that reached the server, whatever their path.
    var hits: Int { counter.value.load(ordering: .relaxed) }

    static let bigBytes = 10 * 1024 * 1024

    init() throws {
        let counter = counter
        let portBox = Mutex(0)
        server = try HTTPServer.loopback { head, _, writer in
            counter.value.add(1, ordering: .relaxed)
            if let response = PageServer.route(head, ownPort: portBox.withLock { $0 }) {
                writer.send(response)
            }  // nil: never answer
        }
        portBox.withLock { $0 = server.port }
    }

    deinit { server.shutdown() }

    static func redirect(_ location: String) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(302, "Found"), headers: HTTPHeaders([("Location", location)]))
    }

    static func route(_ head: HTTPRequestHead, ownPort: Int) -> HTTPResponse? {
        // Absolute form: a proxied request. The host decides the page.
        if head.target.hasPrefix("http://") {
            let rest = head.target.dropFirst("http://".count)
            let host = rest.prefix { $0 != "/" && $0 != ":" }
            let path = rest.drop { $0 != "/" }
            switch (host, path) {
            case ("shop.example", "/item"):
                return .text(.ok, "<html><title>Shop item via proxy</title></html>")
            case ("shop.example", "/to-loopback"):
                return redirect("http://127.0.0.1:\(ownPort)/page")
            case ("shop.example", "/to-metadata"):
                return redirect("http://169.254.169.254/latest/meta-data/")
            default:
                return .error(.notFound, code: "not_found", message: "no such proxied page")
            }
        }
        switch head.path {
        case "/page": return .text(.ok, "<html><title>A page</title></html>")
        case "/big": return HTTPResponse(status: .ok, body: [UInt8](repeating: 0x61, count: bigBytes))
        case "/loop": return redirect("/loop")
        case "/ping": return redirect("/pong")
        case "/pong": return redirect("/ping")
        case "/hop": return redirect("/page")
        case "/to-file": return redirect("file:///etc/passwd")
        case "/silent": return nil
        default: return .error(.notFound, code: "not_found", message: "no such page")
        }
    }
}
