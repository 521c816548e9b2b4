import Pipeline

/// The stages of a run and what each depends on: the one place the tree is declared.
/// Adding a stage is a new `Producer` plus one line here.
public enum StageTree {
    /// `lens` is the browser-backed Lens step; without a browser the tree is `image-info` alone.
    /// `syntheticStageMillis` > 0 adds the `tick` stage (capacity tests and benchmarks only).
    public static func graph(stageTimeoutMillis: Int = 60_000, lens: LensRunner? = nil,
                             syntheticStageMillis: Int = 0) throws -> PipelineGraph
    {
        var nodes: [PipelineGraph.Node] = [
            .init(ImageInfoProducer(), timeoutMillis: stageTimeoutMillis),
        ]
        if syntheticStageMillis > 0 {
            nodes.append(.init(SyntheticTickProducer(durationMillis: syntheticStageMillis), dependsOn: ["image-info"],
                               timeoutMillis: syntheticStageMillis + 5_000))
        }
        if let lens {
            nodes.append(.init(LensMatchesProducer(runner: lens), dependsOn: ["image-info"], timeoutMillis: stageTimeoutMillis))
        }
        return try PipelineGraph(nodes)
    }
}
