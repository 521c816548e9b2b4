import DemoWorld
import Glibc
import HTTP
import Outbound
import Producers
import SystemSupport

/// The one place production code meets the offline demo world (`serve --demo`, `classify --demo`,
/// `demo-world`): what the pipeline and the gateway take from it, and nothing else. Every other
/// file of the command line knows only this type.
struct DemoWiring: Sendable {
    let world: DemoWorld
    /// Which of the Lens replicas the browser searches (tests: a blocked Lens).
    let lens: LensVariant
    /// The demo vision model (`serve --demo --demo-llm`).
    let llm: DemoLLMServer?
    /// The official APIs' replicas are used in place of keys (`serve --demo --demo-apis`).
    let apis: Bool

    init(world: DemoWorld, lens: LensVariant = .normal, llm: DemoLLMServer? = nil, apis: Bool = false) {
        self.world = world
        self.lens = lens
        self.llm = llm
        self.apis = apis
    }

    /// Starts the world on a free loopback port.
    static func start() throws -> DemoWiring { DemoWiring(world: try DemoWorld(host: "127.0.0.1", port: 0)) }

    /// `serve --demo`: the world with the faults `faultList` names (comma-separated) and, when
    /// `llmModel` is given, the demo vision model answering as that model.
    static func start(faultList: String, llmModel: String?, apis: Bool = false) throws -> DemoWiring {
        let faults: Set<DemoFault>
        do {
            faults = try DemoFaults.parse(faultList)
        } catch {
            throw SettingError(description: "LENS_GPT_DEMO_FAULTS (or --demo-faults): \(error)")
        }
        let world = try DemoWorld(host: "127.0.0.1", port: 0, faults: faults)
        return DemoWiring(world: world, llm: try llmModel.map { try DemoLLMServer(model: $0) }, apis: apis)
    }

    var baseURL: String { world.baseURL }
    /// The Lens replica's start page, in place of Google Lens.
    var lensURL: String { world.lensURL(lens) }
    /// The forward proxy through which the fetcher and the browser reach the `.example` web.
    var proxyURL: String { world.proxyURL }
    /// The hosted Lens API replica, and the key it accepts.
    var hostedLensURL: String { world.hostedLensURL }
    var hostedLensAPIKey: String { HostedLensReplica.apiKey }
    /// The marketplace API's replica and the keyset it accepts, with `--demo-apis`.
    var marketplaceAPI: (url: String, clientID: String, clientSecret: String)? {
        apis ? world.marketplaceAPIReplica : nil
    }
    /// The ECB reference rates as the demo serves them.
    var exchangeRatesURL: String { world.exchangeRatesURL }
    /// The query the search canaries ask the replicas (they answer it with results).
    static let canaryQuery = ShopCatalog.canaryQuery

    /// The profiles the world has a replica for, pointed at it; the others are not reachable
    /// offline and are left out.
    static func offline(_ profiles: [SearchProfile]) -> [SearchProfile] {
        profiles.compactMap { profile in DemoWorld.searchReplicaURLTemplates[profile.name].map { profile.searching(at: $0) } }
    }

    /// Every fault's name, for help texts.
    static let faultList = DemoFault.allCases.map(\.rawValue).joined(separator: ", ")

    /// The faults switched on, by name (for the startup log).
    var faultNames: [String] { world.faults.current.map(\.rawValue).sorted() }

    /// The demo vision model as the chat client's endpoint; with the llm-down fault, an address
    /// of the world that answers 503.
    func chat(model: String) -> ChatConfiguration? {
        guard let llm else { return nil }
        let base = world.faults.current.contains(.llmDown) ? world.downLLMBaseURL : llm.baseURL
        return ChatConfiguration(apiKey: "demo-llm-key", baseURL: base, model: model, timeoutMillis: 20_000)
    }

    /// The gateway's extra GET paths: sample photos, `/demo/links.json`, `/demo/web/...`.
    var gatewayResponder: @Sendable (HTTPRequestHead) -> HTTPResponse? {
        let world = self.world
        return { head in world.gatewayResponse(head) }
    }

    func shutdown() {
        world.shutdown()
        llm?.shutdown()
    }

    /// `lens-gpt demo-world`: serves the world alone until SIGTERM or SIGINT.
    static func serveAlone(host: String, port: Int) throws {
        SignalMask.block([SIGTERM, SIGINT])
        let world = try DemoWorld(host: host, port: port)
        print("demo world on \(world.baseURL)")
        for variant in LensVariant.allCases {
            print("  lens replica\(variant == .normal ? "" : " (\(variant.rawValue))"): \(world.lensURL(variant))")
        }
        print("  sample photos: \(world.baseURL)/demo/samples.json")
        let api = MarketplaceAPIs.browse
        let replica = world.marketplaceAPIReplica
        print("  \(api.owner) Browse API replica: \(replica.url) (\(api.credentialID)=\(replica.clientID) \(api.credentialSecret)=\(replica.clientSecret))")
        fflush(nil)  // the URLs must reach a pipe before we block
        _ = SignalMask.wait(for: [SIGTERM, SIGINT])
        world.shutdown()
    }
}
