import ArgumentParser

/// `lens-gpt demo-world`: the offline replica world alone, for `lens --lens-url` and for
/// looking at the replica pages in a browser.
struct DemoWorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-world",
        abstract: "Serve the offline Lens replica and its sample photos until SIGTERM or SIGINT."
    )

    @Option(help: "Address to listen on (loopback by default: the replica is for this machine).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: a free one).") var port = 3003

    func validate() throws {
        try Setting.check(port, "--port", in: 0...65_535)
    }

    func run() throws {
        try DemoWiring.serveAlone(host: host, port: port)
    }
}
