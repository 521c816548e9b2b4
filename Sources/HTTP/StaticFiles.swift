import Glibc
import SystemSupport

/// Files from one directory (the demo page): content types, ETag/304, and no way out of the
/// directory whatever the path says.
public struct StaticFiles: Sendable {
    public let root: String
    public let maxFileBytes: Int
    let cache = StaticFileCache()

    public init(root: String, maxFileBytes: Int = 16 * 1024 * 1024) {
        self.root = root
        self.maxFileBytes = maxFileBytes
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg",
        "jpeg": "image/jpeg", "webp": "image/webp", "ico": "image/x-icon", "txt": "text/plain; charset=utf-8",
        "webmanifest": "application/manifest+json", "woff2": "font/woff2",
    ]

    /// The file for a GET or HEAD request, or 404.
    public func response(for head: HTTPRequestHead) -> HTTPResponse {
        guard let relative = StaticFiles.safeRelativePath(head.path) else {
            return .error(.notFound, code: "not_found", message: "no such file")
        }
        let path = root + "/" + (relative.isEmpty ? "index.html" : relative)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .error(.notFound, code: "not_found", message: "no such file") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .error(.notFound, code: "not_found", message: "no such file")
        }
        let size = Int(info.st_size)
        guard size <= maxFileBytes else {
            return .error(.notFound, code: "not_found", message: "file too large to serve")
        }
        let etag = "\"\(String(size, radix: 16))-\(String(info.st_mtim.tv_sec, radix: 16))\""
        var headers = HTTPHeaders([("ETag", etag), ("Cache-Control", "no-cache")])
        if let match = head.headers["If-None-Match"], match.split(separator: ",").contains(where: {
            $0.trimmingSpaces == etag || $0.trimmingSpaces == "W/" + etag || $0.trimmingSpaces == "*"
        }) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        let ext = path.split(separator: ".").last.map { String($0).lowercased() } ?? ""
        headers.add("Content-Type", StaticFiles.contentTypes[ext] ?? "application/octet-stream")
        headers.add("X-Content-Type-Options", "nosniff")
        let identity = StaticFileCache.Identity(info)
        if let body = cache.body(for: path, identity) { return HTTPResponse(status: .ok, headers: headers, body: body) }
        // A file that grew or shrank since fstat is refused rather than served half old, half new.
        guard case .success(let body) = BoundedFile.read(descriptor: fd, limit: size), body.count == size else {
            return .error(.internalServerError, code: "read_failed", message: "file changed while read")
        }
        cache.keep(body, for: path, identity)
        return HTTPResponse(status: .ok, headers: headers, body: body)
    }

    /// The percent-decoded path below the root, or nil for anything that could leave it
    /// (`..`, NUL, backslashes, hidden files).
    static func safeRelativePath<S: StringProtocol>(_ path: S) -> String? {
        guard let decoded = PercentDecoding.decode(path, plusAsSpace: false) else { return nil }
        var segments: [Substring] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            if segment.hasPrefix(".") || segment.contains("\\") || segment.contains("\0") { return nil }
            segments.append(segment)
        }
        return segments.joined(separator: "/")
    }

}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
