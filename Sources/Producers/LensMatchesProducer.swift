import JSON
import Pipeline

/// `lens-matches`: the photo goes into Lens in a real browser; the visual matches come back
/// with clean links, parsed prices and thumbnails.
public struct LensMatchesProducer: Producer {
    public let stage = "lens-matches"
    let runner: LensRunner
    /// Where inline (`data:`) thumbnails go; the event then names their URL on the gateway.
    /// Without a store (the in-process `classify`) inline thumbnails are left out of the event.
    let thumbnails: (any ThumbnailStore)?

    public init(runner: LensRunner, thumbnails: (any ThumbnailStore)? = nil) {
        self.runner = runner
        self.thumbnails = thumbnails
    }

    public func produce(_ inputs: StageInputs, _ context: StageContext) throws -> any Sendable {
        let info = try inputs.get("image-info", as: ImageInfoProducer.Output.self)
        guard let bytes = LensProfile.readFile(context.image.path, limit: max(info.bytes, 1) + 1) else {
            throw StageError(code: "image_missing", message: "the uploaded image is no longer on disk")
        }
        let matches = try runner.search(bytes: bytes, format: info.format.rawValue, path: context.image.path,
                                        name: context.image.id, timeoutMillis: context.remainingMillis)
        context.emit(stage, .array(published(matches, resultID: context.image.id).map(\.json)))
        return matches
    }

    /// The matches as the event shows them: a `data:` thumbnail is kept in the store and becomes
    /// `/results/{id}/thumbnails/{n}` (n: the match's index), or is dropped; http(s) ones stay.
    func published(_ matches: [LensMatch], resultID: String) -> [LensMatch] {
        matches.enumerated().map { index, match in
            var shown = match
            guard let inline = match.thumbnail, inline.hasPrefix("data:") else { return shown }
            shown.thumbnail = nil
            if let thumbnails, let image = Thumbnail(dataURI: inline), thumbnails.put(image, resultID: resultID, index: index) {
                shown.thumbnail = Thumbnail.path(resultID: resultID, index: index)
            }
            return shown
        }
    }
}
