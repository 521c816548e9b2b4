import Pipeline

/// The stages of a run and what each depends on: the one place the tree is declared.
/// Adding a stage is a new `Producer` plus one line here.
public enum StageTree {
    public static func graph(stageTimeoutMillis: Int = 60_000) throws -> PipelineGraph {
        try PipelineGraph([
            .init(ImageInfoProducer(), timeoutMillis: stageTimeoutMillis),
        ])
    }
}
