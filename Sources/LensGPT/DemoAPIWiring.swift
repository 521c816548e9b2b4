import DemoWorld

/// The demo replicas of the official APIs (`serve --demo --demo-apis`): the barcode databases and
/// the web-search APIs on their own loopback servers, with the keys they accept.
struct DemoAPIWiring: Sendable {
    let barcodeDatabases: BarcodeDatabaseReplicas
    let webSearchAPIs: WebSearchAPIReplicas

    static func start() throws -> DemoAPIWiring {
        DemoAPIWiring(barcodeDatabases: try BarcodeDatabaseReplicas(), webSearchAPIs: try WebSearchAPIReplicas())
    }

    /// What the pipeline's API setup takes in place of the real services.
    var endpoints: DemoAPIEndpoints {
        // The trial path needs no key; the paid one is exercised by the tests with the replica's key.
        DemoAPIEndpoints(barcodeDatabasesURL: barcodeDatabases.baseURL, webSearchAPIsURL: webSearchAPIs.baseURL, upcitemdbUserKey: nil,
                         braveKey: WebSearchAPIReplicas.braveKey, googleKey: WebSearchAPIReplicas.googleKey,
                         googleEngineID: WebSearchAPIReplicas.googleEngineID)
    }

    func shutdown() {
        barcodeDatabases.shutdown()
        webSearchAPIs.shutdown()
    }
}
