import CEpoll
import Glibc
import Imaging
import Pipeline

/// Receives an uploaded image as it streams in: checks its type and size on the loop, and
/// has it hashed and written to a private temp file off the loop (`UploadFile`), holding at
/// most `ImageHeader.sniffLength` bytes plus the file's bounded backlog in memory whatever the
/// upload's size.
final class ImageSink {
    private let maxBytes: Int
    private let maxPixels: Int
    private let file: UploadFile
    private var head: [UInt8] = []
    private(set) var count = 0
    private var finished = false

    /// `backlogBytes`: bytes read but not yet hashed and written before `write` asks the
    /// caller to stop reading.
    init(directory: String, maxBytes: Int, maxPixels: Int, backlogBytes: Int = 1 << 20) throws(UploadError) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        var template = Array("\(directory)/upload-XXXXXX".utf8CString)
        // mkstemp creates the file with mode 0600: uploads are not readable by other users.
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return cepoll_mkstemp_cloexec(base)  // close-on-exec from birth: no child inherits an upload
        }
        guard fd >= 0 else { throw .storage(String(cString: strerror(errno))) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = UploadFile(fd: fd, path: path, highWater: backlogBytes)
    }

    deinit {
        if !finished { file.discard() }
    }

    /// Run (off the loop) once a backlog that made `write` return false has drained.
    func setOnDrain(_ body: @escaping @Sendable () -> Void) { file.setOnDrain(body) }

    /// Takes the next bytes of the image. Returns false when the caller should stop reading
    /// until the drain callback runs.
    func write(_ bytes: UnsafeRawBufferPointer) throws(UploadError) -> Bool {
        guard bytes.count > 0 else { return true }
        count += bytes.count
        guard count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        if head.count < ImageHeader.sniffLength {
            head.append(contentsOf: bytes.prefix(ImageHeader.sniffLength - head.count))
            // Refuse as soon as the magic bytes show it is no image: the rest is never read.
            if head.count >= 12 && !ImageSink.hasImageMagic(head) { throw .unsupportedType }
        }
        if let problem = file.writeError { throw .storage(problem) }
        return file.append(Array(bytes))
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
        let (path, bytes) = (file.path, count)
        file.finish { result in
            completion(result.map { UploadedImage(id: $0, path: path, bytes: bytes) })
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
