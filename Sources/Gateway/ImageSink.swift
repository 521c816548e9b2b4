import Glibc
import Imaging
import Pipeline
import TLS

/// Receives an uploaded image as it streams in: writes it to a private temp file, hashes it
/// and checks its type, holding at most `ImageHeader.sniffLength` bytes in memory whatever the
/// upload's size.
final class ImageSink {
    private let maxBytes: Int
    private let maxPixels: Int
    private var fd: Int32
    let path: String
    private let hasher = SHA256Hasher()
    private var head: [UInt8] = []
    private(set) var count = 0
    private var finished = false

    init(directory: String, maxBytes: Int, maxPixels: Int) throws(UploadError) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        var template = Array("\(directory)/upload-XXXXXX".utf8CString)
        // mkstemp creates the file with mode 0600: uploads are not readable by other users.
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            let fd = mkstemp(base)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return fd
        }
        guard fd >= 0 else { throw .storage(String(cString: strerror(errno))) }
        self.fd = fd
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !finished { unlink(path) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(UploadError) {
        guard bytes.count > 0 else { return }
        count += bytes.count
        guard count <= maxBytes else { throw .tooLarge(limit: maxBytes) }
        if head.count < ImageHeader.sniffLength {
            head.append(contentsOf: bytes.prefix(ImageHeader.sniffLength - head.count))
            // Refuse as soon as the magic bytes show it is no image: the rest is never read.
            if head.count >= 12 && !ImageSink.hasImageMagic(head) { throw .unsupportedType }
        }
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .storage(String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    /// Completes the upload: the image's id and file, or why it is refused.
    func finish() throws(UploadError) -> UploadedImage {
        guard count > 0 else { throw .empty }
        guard let header = ImageHeader.parse(head) else { throw .unsupportedType }
        // A few bytes can declare a picture that would take gigabytes to decode downstream.
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixels <= maxPixels else {
            throw .tooManyPixels(width: header.width, height: header.height, limit: maxPixels)
        }
        // No fsync: the file only has to outlive its run, and a crash reruns the run anyway;
        // syncing here would stall every connection of this loop for milliseconds.
        close(fd)
        fd = -1
        finished = true
        return UploadedImage(id: hasher.finishHex(), path: path, bytes: count)
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
