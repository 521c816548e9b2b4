import DemoWorld
import TestSupport

extension DemoPipeline {
    /// `serve --demo` as the visual-search tests run it: the demo world (with faults), both
    /// visual-search providers, the gateway serving signed photo URLs, optionally the canary.
    static func visual(faults: Set<DemoFault> = [], arguments: [String] = [], canaryMillis: Int? = nil) throws -> DemoPipeline {
        try DemoPipeline(stageTimeoutMillis: 45_000, faults: faults, servesPhotos: true, canaryMillis: canaryMillis, arguments: arguments)
    }
}
