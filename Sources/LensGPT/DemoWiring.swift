import CEpoll
import DemoWorld
import Glibc
import HTTP
import Producers

/// The one place production code meets the offline demo world (`serve --demo`, `classify --demo`,
/// `demo-world`): what the pipeline and the gateway take from it, and nothing else. Every other
/// file of the command line knows only this type.
struct DemoWiring: Sendable {
    let world: DemoWorld

    init(world: DemoWorld) { self.world = world }

    /// Starts the world on a free loopback port.
    static func start() throws -> DemoWiring { DemoWiring(world: try DemoWorld(host: "127.0.0.1", port: 0)) }

    var baseURL: String { world.baseURL }
    /// The Lens replica's start page, in place of Google Lens.
    var lensURL: String { world.lensURL() }
    /// The forward proxy through which the fetcher and the browser reach the `.example` web.
    var proxyURL: String { world.proxyURL }

    /// The gateway's extra GET paths: sample photos, `/demo/links.json`, `/demo/web/...`.
    var gatewayResponder: @Sendable (HTTPRequestHead) -> HTTPResponse? {
        let world = self.world
        return { head in world.gatewayResponse(head) }
    }

    func shutdown() { world.shutdown() }

    /// `lens-gpt demo-world`: serves the world alone until SIGTERM or SIGINT.
    static func serveAlone(host: String, port: Int) throws {
        for signal in [SIGTERM, SIGINT] { _ = cepoll_block_signal(signal) }
        Glibc.signal(SIGPIPE, SIG_IGN)
        let world = try DemoWorld(host: host, port: port)
        print("demo world on \(world.baseURL)")
        for variant in LensVariant.allCases {
            print("  lens replica\(variant == .normal ? "" : " (\(variant.rawValue))"): \(world.lensURL(variant))")
        }
        print("  sample photos: \(world.baseURL)/demo/samples.json")
        fflush(nil)  // the URLs must reach a pipe before we block
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        var received: Int32 = 0
        sigwait(&set, &received)
        world.shutdown()
    }
}
