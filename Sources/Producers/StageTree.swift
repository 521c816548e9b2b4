import Pipeline

/// What the stages are built from. Everything optional is a capability the deployment may not
/// have: no browser means no Lens step (and nothing that depends on it), no chat means every
/// stage uses its deterministic method.
public struct StageDependencies: Sendable {
    public var lens: LensRunner?
    public var chat: (any ChatService & StructuredChat)?
    public var pages: (any PageSource)?
    public var renderer: (any PageRenderer)?
    public var webSearch: (any SearchService)?
    public var marketplaceSearches: [any SearchService] = []
    public var estimator = PriceEstimator()
    /// Keeps Lens thumbnails for the gateway to serve by URL (nil: not kept, not inlined either).
    public var thumbnails: (any ThumbnailStore)?
    public var stageTimeoutMillis = 60_000
    /// > 0 adds the `tick` stage (capacity tests and benchmarks only).
    public var syntheticStageMillis = 0

    public init() {}
}

/// The stages of a run and what each depends on: the one place the tree is declared.
/// Adding a stage is a new `Producer` plus one line here.
///
///     image-info ─▶ lens-matches ─▶ model-producer ─┬─▶ producer-url ─▶ retail-price-details ─┐
///                                                   └─▶ second-hand-offers ───────────────────┴─▶ estimated-price
public enum StageTree {
    public static func graph(_ d: StageDependencies) throws -> PipelineGraph {
        let limit = d.stageTimeoutMillis
        var nodes: [PipelineGraph.Node] = [.init(ImageInfoProducer(), timeoutMillis: limit)]
        if d.syntheticStageMillis > 0 {
            nodes.append(.init(SyntheticTickProducer(durationMillis: d.syntheticStageMillis), dependsOn: ["image-info"],
                               timeoutMillis: d.syntheticStageMillis + 5_000))
        }
        guard let lens = d.lens else { return try PipelineGraph(nodes) }
        nodes.append(.init(LensMatchesProducer(runner: lens, thumbnails: d.thumbnails), dependsOn: ["image-info"], timeoutMillis: limit))
        nodes.append(.init(ModelProducerProducer(chat: d.chat), dependsOn: ["image-info", "lens-matches"], timeoutMillis: limit))
        guard let pages = d.pages else { return try PipelineGraph(nodes) }
        nodes.append(.init(ProducerURLProducer(webSearch: d.webSearch, chat: d.chat),
                           dependsOn: ["lens-matches", "model-producer"], timeoutMillis: limit))
        nodes.append(.init(RetailDetailsProducer(pages: pages, renderer: d.renderer, chat: d.chat),
                           dependsOn: ["producer-url"], timeoutMillis: limit))
        nodes.append(.init(SecondHandOffersProducer(pages: pages, searches: d.marketplaceSearches),
                           dependsOn: ["lens-matches", "model-producer"], timeoutMillis: limit))
        // The estimate needs an identity; it does best with both, and can do with either.
        nodes.append(.init(EstimatedPriceProducer(estimator: d.estimator), dependsOn: ["model-producer"],
                           optionallyAfter: ["retail-price-details", "second-hand-offers"], timeoutMillis: limit))
        return try PipelineGraph(nodes)
    }

    /// The tree without a browser: `image-info` (and the synthetic stage when asked for).
    public static func graph(stageTimeoutMillis: Int = 60_000, lens: LensRunner? = nil,
                             syntheticStageMillis: Int = 0) throws -> PipelineGraph
    {
        var d = StageDependencies()
        d.stageTimeoutMillis = stageTimeoutMillis
        d.lens = lens
        d.syntheticStageMillis = syntheticStageMillis
        return try graph(d)
    }
}
