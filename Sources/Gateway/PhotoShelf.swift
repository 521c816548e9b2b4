import Glibc
import HTTP
import Synchronization
import Secrets

/// The photos hosted visual-search APIs may fetch: those APIs take an image URL, not bytes.
/// A photo is on the shelf only while a provider's search for it lasts, and only through a
/// signed, short-lived URL under the public base URL:
/// `{base}/photos/{id}.{ext}?expires={unix seconds}&sig={hex HMAC-SHA256}`. A bad or expired
/// signature gets 403 (checked in constant time), a photo not on the shelf 404.
public final class PhotoShelf: Sendable {
    private struct Entry {
        var path: String
        var contentType: String
        /// Searches of this photo under way (a refined search publishes it again).
        var holders: Int
    }

    private let base: Mutex<String>
    public let lifetimeSeconds: Int
    /// Largest file served (the upload limit).
    let maxBytes: Int
    private let signer: ResultToken
    private let entries = Mutex<[String: Entry]>([:])

    /// `secret`: the HMAC key; random per process when nil (a URL outlives no restart).
    public init(publicBaseURL: String, lifetimeSeconds: Int = 300, maxBytes: Int = 20 << 20, secret: String? = nil) {
        base = Mutex(PhotoShelf.trimmed(publicBaseURL))
        self.lifetimeSeconds = lifetimeSeconds
        self.maxBytes = maxBytes
        let key = secret ?? PhotoShelf.randomSecret()
        SecretScrubber.shared.register(key)  // its signatures are `sig=` values, which the scrubber knows by name
        signer = ResultToken(secret: key)
    }

    public var publicBaseURL: String { base.withLock { $0 } }

    /// Where the photos are reached, when it is known only once the gateway listens (the demo on loopback).
    public func setPublicBaseURL(_ url: String) { base.withLock { $0 = PhotoShelf.trimmed(url) } }

    static func trimmed(_ url: String) -> String {
        var s = url
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// Puts the photo on the shelf and returns its signed URL.
    public func publish(id: String, path: String, format: String) -> String {
        let ext = ["png": "png", "jpeg": "jpg", "webp": "webp"][format] ?? "img"
        let type = ["png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"][format] ?? "application/octet-stream"
        entries.withLock { all in
            var entry = all[id] ?? Entry(path: path, contentType: type, holders: 0)
            entry.holders += 1
            all[id] = entry
        }
        let expires = Int64(time(nil)) + Int64(lifetimeSeconds)
        return "\(publicBaseURL)/photos/\(id).\(ext)?expires=\(expires)&sig=\(signer.signature(id: "photo:" + id, expiresAt: expires))"
    }

    /// The search is over: the URL stops working even before it expires.
    public func withdraw(id: String) {
        entries.withLock { all in
            guard var entry = all[id] else { return }
            entry.holders -= 1
            all[id] = entry.holders > 0 ? entry : nil
        }
    }

    /// The answer to `GET /photos/…`.
    func response(_ head: HTTPRequestHead) -> HTTPResponse {
        let name = head.path.dropFirst("/photos/".count)
        let id = String(name.prefix { $0 != "." })
        guard PhotoShelf.isPhotoID(id) else { return .error(.notFound, code: "not_found", message: "no such photo") }
        let expires = GatewayRouter.queryValue(head.query, "expires").flatMap { Int64($0) } ?? 0
        let sig = GatewayRouter.queryValue(head.query, "sig") ?? ""
        guard signer.verify("\(expires).\(sig)", id: "photo:" + id, now: Int64(time(nil))) else {
            return .error(HTTPStatus(403, "Forbidden"), code: "forbidden", message: "the photo link is not signed or has expired")
        }
        guard let entry = entries.withLock({ $0[id] }), let bytes = PhotoShelf.read(entry.path, limit: maxBytes) else {
            return .error(.notFound, code: "not_found", message: "the photo is no longer available")
        }
        return HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", entry.contentType), ("Cache-Control", "private, no-store")]),
                            body: bytes)
    }

    /// Result ids (SHA-256 hex) and the canary's ids: letters, digits and dashes.
    static func isPhotoID(_ id: String) -> Bool {
        (1...96).contains(id.utf8.count) && id.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == UInt8(ascii: "-")
        }
    }

    static func randomSecret() -> String {
        // SystemRandomNumberGenerator: the kernel's CSPRNG (getrandom) on Linux.
        (0..<32).map { _ in UInt8.random(in: 0...255) }.map { String($0, radix: 16) }.joined()
    }

    static func read(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while out.count <= limit {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return out }
            out.append(contentsOf: buffer[..<n])
        }
        return nil
    }
}
