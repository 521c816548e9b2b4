import ArgumentParser
import CEpoll
import DemoWorld
import Glibc

/// `lens-gpt demo-world`: the offline replica world alone, for `lens --lens-url` and for
/// looking at the replica pages in a browser.
struct DemoWorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-world",
        abstract: "Serve the offline Lens replica and its sample photos until SIGTERM or SIGINT."
    )

    @Option(help: "Address to listen on (loopback by default: the replica is for this machine).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: a free one).") var port = 3003

    func run() throws {
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
