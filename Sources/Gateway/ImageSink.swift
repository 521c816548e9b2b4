import EventLoop
import Imaging
import Pipeline

/// Receives an uploaded image as it streams in: checks its type and size on the loop, and
/// has its private temp file created, written and hashed off the loop (`UploadFile`), holding at
/// most `ImageHeader.sniffLength` bytes plus the file's bounded backlog in memory whatever the
/// upload's size (twice the backlog at worst: a read buffer is kept only when at least half full).
final class ImageSink {
    private let maxBytes: Int
    private let maxPixels: Int
    private let file: UploadFile
    private var head: [UInt8] = []
    private(set) var count = 0
    private var finished = false

    /// `backlogBytes`: bytes read but not yet hashed and written before `write` asks the
    /// caller to stop reading. `create` makes the file, on the file's own queue, ahead of the first write.
    init(maxBytes: Int, maxPixels: Int, backlogBytes: Int = 1 << 20, create: @escaping UploadFile.Create) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        file = UploadFile(highWater: backlogBytes, create: create)
    }

    deinit {
        if !finished { file.discard() }
    }

    /// Run (off the loop) once a backlog that made `write` return false has drained.
    func setOnDrain(_ body: @escaping @Sendable () -> Void) { file.setOnDrain(body) }

    /// Takes the next bytes of the image: in place from `buffer` when they lie in it (a read
    /// buffer the caller kept), else copied. Returns false when the caller should stop reading
    /// until the drain callback runs.
    func write(_ bytes: UnsafeRawBufferPointer, in buffer: ReadBuffer? = nil) throws(UploadError) -> Bool {
        guard bytes.count > 0 else { return true }
        count += bytes.count
        guard count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        if head.count < ImageHeader.sniffLength {
            head.append(contentsOf: bytes.prefix(ImageHeader.sniffLength - head.count))
            // Refuse as soon as the magic bytes show it is no image: the rest is never read.
            if head.count >= 12 && !ImageSink.hasImageMagic(head) { throw .unsupportedType }
        }
        if let problem = file.writeError { throw .storage(problem) }
        let chunk = buffer.flatMap { UploadChunk(keeping: bytes, of: $0) } ?? UploadChunk(copying: bytes)
        return file.append(chunk)
    }

    /// Completes the upload: refuses it at once for what the first bytes show, else hands
    /// `completion` (off the loop, once every byte is hashed and written) the image's id and
    /// file, or the write error.
    func finish(_ completion: @escaping @Sendable (Result<UploadedImage, UploadError>) -> Void) throws(UploadError) {
        guard count > 0 else { throw .empty }
        guard let header = ImageHeader.parse(head) else { throw .unsupportedType }
        // A few bytes can declare a picture that would take gigabytes to decode downstream.
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixels <= maxPixels else {
            throw .tooManyPixels(width: header.width, height: header.height, limit: maxPixels)
        }
        finished = true
        let bytes = count
        file.finish { result in
            completion(result.map { UploadedImage(id: $0.digest, path: $0.path, bytes: bytes) })
        }
    }

    /// PNG, JPEG or RIFF/WEBP signatures in the first 12 bytes (the header parse decides the rest).
    static func hasImageMagic(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return true }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return true }
        if bytes.count >= 12 && bytes.starts(with: Array("RIFF".utf8)) && Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return true
        }
        return false
    }
}
