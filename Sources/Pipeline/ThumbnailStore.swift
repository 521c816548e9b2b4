import Foundation
import Synchronization
import SystemSupport

/// One small image kept for a result (a visual match's thumbnail), served by the gateway at
/// `/results/{id}/thumbnails/{n}` so that events carry that URL instead of inline data.
public struct Thumbnail: Sendable, Equatable {
    public static let types = ["image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp", "image/gif": "gif"]

    public var contentType: String
    public var bytes: [UInt8]

    public init?(contentType: String, bytes: [UInt8]) {
        guard Thumbnail.types[contentType] != nil, !bytes.isEmpty else { return nil }
        self.contentType = contentType
        self.bytes = bytes
    }

    /// A `data:image/…;base64,…` URI (what Lens pages inline), or nil for anything else.
    public init?(dataURI: String) {
        guard dataURI.hasPrefix("data:"), let comma = dataURI.firstIndex(of: ",") else { return nil }
        let header = dataURI[dataURI.index(dataURI.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64") else { return nil }
        let type = String(header.dropLast(";base64".count)).lowercased()
        guard let data = Data(base64Encoded: String(dataURI[dataURI.index(after: comma)...]), options: .ignoreUnknownCharacters) else { return nil }
        self.init(contentType: type == "image/jpg" ? "image/jpeg" : type, bytes: [UInt8](data))
    }

    /// The path the gateway serves thumbnail `index` of result `id` at.
    public static func path(resultID: String, index: Int) -> String { "/results/\(resultID)/thumbnails/\(index)" }
}

/// Where a result's thumbnails are kept while the result is.
public protocol ThumbnailStore: Sendable {
    /// Keeps `thumbnail` as number `index` of result `resultID`; false when it was not kept
    /// (over the size cap, or the disk refused).
    func put(_ thumbnail: Thumbnail, resultID: String, index: Int) -> Bool
    func get(resultID: String, index: Int) -> Thumbnail?
}

/// Thumbnails as files, `{directory}/{id}/{n}.{ext}`, each at most `maxBytes`; result folders
/// older than `retentionSeconds` (the results' own retention) are removed, at most once an hour.
public final class FileThumbnailStore: ThumbnailStore {
    public let directory: String
    public let maxBytes: Int
    public let retentionSeconds: Int
    private let lastPrune = Mutex<Date>(.distantPast)

    public init(directory: String, maxBytes: Int, retentionSeconds: Int) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.retentionSeconds = retentionSeconds
    }

    public func put(_ thumbnail: Thumbnail, resultID: String, index: Int) -> Bool {
        guard thumbnail.bytes.count <= maxBytes, FileThumbnailStore.isSafe(resultID), index >= 0,
              let ext = Thumbnail.types[thumbnail.contentType] else { return false }
        pruneIfDue()
        let folder = directory + "/" + resultID
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(thumbnail.bytes).write(to: URL(fileURLWithPath: "\(folder)/\(index).\(ext)"), options: .atomic)
            return true
        } catch {
            return false
        }
    }

    public func get(resultID: String, index: Int) -> Thumbnail? {
        guard FileThumbnailStore.isSafe(resultID), index >= 0 else { return nil }
        for (type, ext) in Thumbnail.types {
            let path = "\(directory)/\(resultID)/\(index).\(ext)"
            if case .success(let bytes) = BoundedFile.read(path, limit: maxBytes) {
                return Thumbnail(contentType: type, bytes: bytes)
            }
        }
        return nil
    }

    /// Result ids are hex digests; anything else never becomes part of a path.
    static func isSafe(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    private func pruneIfDue() {
        let now = Date()
        let due = lastPrune.withLock { last -> Bool in
            guard now.timeIntervalSince(last) > 3600 else { return false }
            last = now
            return true
        }
        guard due, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = now.addingTimeInterval(-Double(retentionSeconds))
        for name in names where FileThumbnailStore.isSafe(name) {
            let folder = directory + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: folder))?[.modificationDate] as? Date
            if let modified, modified < cutoff { try? FileManager.default.removeItem(atPath: folder) }
        }
    }
}
