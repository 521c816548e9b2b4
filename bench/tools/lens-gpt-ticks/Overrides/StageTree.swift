import Pipeline

/// The production tree (Sources/Producers/StageTree.swift) plus the benchmark `tick` stage.
public enum StageTree {
    public static func graph(stageTimeoutMillis: Int = 60_000) throws -> PipelineGraph {
        try PipelineGraph([
            .init(ImageInfoProducer(), timeoutMillis: stageTimeoutMillis),
            .init(TickProducer(), timeoutMillis: stageTimeoutMillis),
        ])
    }
}
