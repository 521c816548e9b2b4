import JSON
import Pipeline

/// `lens-matches`: the photo goes into Lens in a real browser; the visual matches come back
/// with clean links, parsed prices and thumbnails.
public struct LensMatchesProducer: Producer {
    public let stage = "lens-matches"
    let runner: LensRunner

    public init(runner: LensRunner) { self.runner = runner }

    public func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        let info = try inputs.get("image-info", as: ImageInfoProducer.Output.self)
        guard let bytes = LensProfile.readFile(context.image.path, limit: max(info.bytes, 1) + 1) else {
            throw StageError(code: "image_missing", message: "the uploaded image is no longer on disk")
        }
        let matches = try runner.search(bytes: bytes, format: info.format.rawValue, path: context.image.path,
                                        name: context.image.id, timeoutMillis: context.remainingMillis)
        context.emit(stage, .array(matches.map(\.json)))
        return matches
    }
}
