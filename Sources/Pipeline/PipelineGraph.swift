/// The stages of a run and what each depends on, declared in one place (see
/// `Producers/Stages/StageTree.swift`). Independent branches run in parallel.
public struct PipelineGraph: Sendable {
    public struct Node: Sendable {
        public let producer: any Producer
        public let dependsOn: [String]
        /// Stages it waits for but can do without: it runs once they have ended in any way, and
        /// gets the outputs of those that finished (a price estimate can go on without retail details).
        public let optionallyAfter: [String]
        /// The stage's time limit; past it the stage fails with `stage_timeout`.
        public let timeoutMillis: Int

        public init(_ producer: any Producer, dependsOn: [String] = [], optionallyAfter: [String] = [], timeoutMillis: Int = 60_000) {
            self.producer = producer
            self.dependsOn = dependsOn
            self.optionallyAfter = optionallyAfter
            self.timeoutMillis = timeoutMillis
        }

        public var stage: String { producer.stage }
    }

    public struct InvalidGraph: Error, CustomStringConvertible {
        public let description: String
    }

    /// Nodes in an order where every dependency comes before its dependants.
    public let nodes: [Node]

    public init(_ nodes: [Node]) throws {
        var seen: Set<String> = []
        for node in nodes {
            guard seen.insert(node.stage).inserted else { throw InvalidGraph(description: "stage \(node.stage) declared twice") }
        }
        for node in nodes {
            for dependency in node.dependsOn + node.optionallyAfter where !seen.contains(dependency) {
                throw InvalidGraph(description: "stage \(node.stage) depends on unknown stage \(dependency)")
            }
        }
        // Kahn's algorithm: a cycle leaves nodes that never become ready.
        var ordered: [Node] = []
        var placed: Set<String> = []
        var remaining = nodes
        while !remaining.isEmpty {
            let ready = remaining.filter { ($0.dependsOn + $0.optionallyAfter).allSatisfy(placed.contains) }
            guard !ready.isEmpty else {
                throw InvalidGraph(description: "stages \(remaining.map(\.stage)) depend on each other")
            }
            ordered.append(contentsOf: ready)
            ready.forEach { placed.insert($0.stage) }
            remaining.removeAll { placed.contains($0.stage) }
        }
        self.nodes = ordered
    }

    public var stages: [String] { nodes.map(\.stage) }

    /// Every stage that depends on `stage` (and so cannot run when it fails), directly or not.
    /// Optional dependants are not among them.
    public func dependants(of stage: String) -> [String] {
        var found: [String] = []
        var frontier = [stage]
        while let current = frontier.popLast() {
            for node in nodes where node.dependsOn.contains(current) && !found.contains(node.stage) {
                found.append(node.stage)
                frontier.append(node.stage)
            }
        }
        return nodes.map(\.stage).filter(found.contains)
    }
}
