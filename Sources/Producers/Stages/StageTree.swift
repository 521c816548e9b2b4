import PhotoReading
import Pipeline

/// What the stages are built from. Everything optional is a capability the deployment may not
/// have: no browser means no Lens step (and nothing that depends on it), no chat means every
/// stage uses its deterministic method.
public struct StageDependencies: Sendable {
    public var lens: LensRunner?
    /// The visual-search providers in the order `lens-matches` tries them; empty: Google Lens
    /// through `lens` alone.
    public var visualSearch: [any VisualSearch] = []
    /// Title consensus below which `lens-matches` refines with a text query where it can.
    public var refineBelow = 0.6
    public var chat: (any ChatService & StructuredChat)?
    public var pages: (any PageSource)?
    public var renderer: (any PageRenderer)?
    public var webSearch: (any SearchService)?
    /// Barcode databases asked for the photo's GTIN before any web search (nil: none).
    public var barcodeLookup: BarcodeLookup?
    public var marketplaceSearches: [any SearchService] = []
    /// The marketplace searches for a run's country; nil: `marketplaceSearches` for every run.
    public var marketplaceSearchesForCountry: (@Sendable (String) -> [any SearchService])?
    public var estimator = PriceEstimator()
    /// ECB reference rates for the estimate's currency (the run's country); nil: none.
    public var exchangeRates: ExchangeRateSource?
    /// Keeps Lens thumbnails for the gateway to serve by URL (nil: not kept, not inlined either).
    public var thumbnails: (any ThumbnailStore)?
    public var stageTimeoutMillis = 60_000
    /// Identification below this confidence abstains (`model-producer` reports no identity).
    public var identifyFloor = IdentificationProducer.defaultFloor
    /// > 0 adds the `tick` stage (capacity tests and benchmarks only).
    public var syntheticStageMillis = 0
    /// Non-nil adds `barcodes` and `photo-text` (reading the photo itself) within these limits.
    public var photoReading: PhotoReadingLimits?
    /// The language `photo-text` reads with when the request names none.
    public var photoTextLanguage: String?

    public init() {}
}

/// The stages of a run and what each depends on: the one place the tree is declared.
/// Adding a stage is a new `Producer` plus one line here.
///
///     image-info ─┬─▶ lens-matches ─┬─▶ model-producer ─┬─▶ producer-url ─▶ retail-price-details ─┐
///                 ├─▶ barcodes ─────┤                   └─▶ second-hand-offers ───────────────────┴─▶ estimated-price
///                 └─▶ photo-text ───┘   (each of the three optional for model-producer)
public enum StageTree {
    public static func graph(_ d: StageDependencies) throws -> PipelineGraph {
        let limit = d.stageTimeoutMillis
        var nodes: [PipelineGraph.Node] = [.init(ImageInfoProducer(), timeoutMillis: limit)]
        if d.syntheticStageMillis > 0 {
            nodes.append(.init(SyntheticTickProducer(durationMillis: d.syntheticStageMillis), dependsOn: [ImageInfoProducer.key.name],
                               timeoutMillis: d.syntheticStageMillis + 5_000))
        }
        // Reading the photo itself runs beside the visual search and needs nothing else.
        var photo: [String] = []
        if let limits = d.photoReading {
            // One decode per photo for both readers; a copy left unclaimed is dropped after the stage limit.
            let copies = PhotoCopies(limits: limits, keepMillis: limit)
            nodes.append(.init(BarcodesProducer(limits: limits, copies: copies), dependsOn: [ImageInfoProducer.key.name], timeoutMillis: limit))
            nodes.append(.init(PhotoTextProducer(limits: limits, language: d.photoTextLanguage, copies: copies), dependsOn: [ImageInfoProducer.key.name],
                               timeoutMillis: limit))
            photo = [BarcodesProducer.key.name, PhotoTextProducer.key.name]
        }
        let providers = d.visualSearch.isEmpty ? (d.lens.map { [BrowserLensSearch(runner: $0)] } ?? []) : d.visualSearch
        if !providers.isEmpty {
            nodes.append(.init(LensMatchesProducer(providers: providers, refineBelow: d.refineBelow, thumbnails: d.thumbnails), dependsOn: [ImageInfoProducer.key.name],
                               timeoutMillis: limit))
        }
        // Identification weighs the visual matches, the photo's own barcode and text, and the
        // photo through a vision model; it needs one of them. What follows uses the matches if present.
        guard !providers.isEmpty || d.chat != nil || !photo.isEmpty else { return try PipelineGraph(nodes) }
        let matches = providers.isEmpty ? [] : [LensMatchesProducer.key.name]
        let evidence = photo.isEmpty ? nil
            : PhotoEvidence(webSearch: d.webSearch, marketplaceSearches: d.marketplaceSearches, pages: d.pages,
                            barcodeLookup: d.barcodeLookup)
        nodes.append(.init(IdentificationProducer(chat: d.chat, floor: d.identifyFloor, photoEvidence: evidence), dependsOn: [ImageInfoProducer.key.name],
                           optionallyAfter: matches + photo, timeoutMillis: limit))
        guard let pages = d.pages else { return try PipelineGraph(nodes) }
        nodes.append(.init(ProducerURLProducer(webSearch: d.webSearch, chat: d.chat),
                           dependsOn: [IdentificationProducer.key.name], optionallyAfter: matches, timeoutMillis: limit))
        nodes.append(.init(RetailDetailsProducer(pages: pages, renderer: d.renderer, chat: d.chat),
                           dependsOn: [ProducerURLProducer.key.name], timeoutMillis: limit))
        nodes.append(.init(SecondHandOffersProducer(pages: pages, searches: d.marketplaceSearches,
                                                    searchesForCountry: d.marketplaceSearchesForCountry),
                           dependsOn: [IdentificationProducer.key.name], optionallyAfter: matches, timeoutMillis: limit))
        // The estimate needs an identity; it does best with both, and can do with either.
        nodes.append(.init(EstimatedPriceProducer(estimator: d.estimator, exchangeRates: d.exchangeRates), dependsOn: [IdentificationProducer.key.name],
                           optionallyAfter: [RetailDetailsProducer.key.name, SecondHandOffersProducer.key.name], timeoutMillis: limit))
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
