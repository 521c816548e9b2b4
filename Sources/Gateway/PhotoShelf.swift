import Glibc
import HTTP
import Pipeline
import Synchronization
import Secrets
import SystemSupport

/// The photos hosted visual-search APIs may fetch: those APIs take an image URL, not bytes.
/// A photo is on the shelf only while a provider's search for it lasts, and only through a
/// signed, short-lived URL under the public base URL:
/// `{base}/photos/{id}.{ext}?expires={unix seconds}&sig={hex HMAC-SHA256}`. A bad or expired
/// signature gets 403 (checked in constant time), a photo not on the shelf 404.
///
/// Shared through the store (`share(through:)`, the Redis store): the photo is kept there for
/// the URL's lifetime and the URLs are signed with a key every gateway holds (the operator's,
/// else one the first gateway stores), so any gateway behind a load balancer answers them.
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
    /// This process's own key: signs when no key is shared (no operator secret, and the store
    /// is SQLite or was unreachable when the URL was made); such a URL works here only.
    private let ownSigner: ResultToken
    /// The operator's key, or the one shared through the store once read from it.
    private let sharedSigner: Mutex<ResultToken?>
    private let store = Mutex<(any SharedPhotos)?>(nil)
    private let entries = Mutex<[String: Entry]>([:])

    /// `secret`: the operator's HMAC key (`LENS_GPT_PHOTO_URL_SECRET`); without it, a key
    /// shared through the store, else one random per process (a URL outlives no restart).
    public init(publicBaseURL: String, lifetimeSeconds: Int = 300, maxBytes: Int = 20 << 20, secret: String? = nil) {
        base = Mutex(PhotoShelf.trimmed(publicBaseURL))
        self.lifetimeSeconds = lifetimeSeconds
        self.maxBytes = maxBytes
        // Keys are registered as secrets; their signatures are `sig=` values, which the scrubber knows by name.
        let own = PhotoShelf.randomSecret()
        SecretScrubber.shared.register(own)
        if let secret { SecretScrubber.shared.register(secret) }
        ownSigner = ResultToken(secret: own)
        sharedSigner = Mutex(secret.map { ResultToken(secret: $0) })
    }

    /// Keeps photos, and the signing key unless the operator set one, in the store shared by
    /// every gateway (set once, before the gateway serves).
    public func share(through store: any SharedPhotos) { self.store.withLock { $0 = store } }

    public var publicBaseURL: String { base.withLock { $0 } }

    /// Where the photos are reached, when it is known only once the gateway listens (the demo on loopback).
    public func setPublicBaseURL(_ url: String) { base.withLock { $0 = PhotoShelf.trimmed(url) } }

    static func trimmed(_ url: String) -> String {
        var s = url
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// The key shared by every gateway, read from the store (once) when the operator set none;
    /// nil while the store cannot be reached. Blocks: never on a loop thread.
    private func sharedSignerReading(_ store: (any SharedPhotos)?) -> ResultToken? {
        if let known = sharedSigner.withLock({ $0 }) { return known }
        guard let store, let secret = store.sharedSecret(candidate: PhotoShelf.randomSecret()) else { return nil }
        SecretScrubber.shared.register(secret)
        let signer = ResultToken(secret: secret)
        sharedSigner.withLock { $0 = signer }
        return signer
    }

    /// Puts the photo on the shelf and returns its signed URL (on a worker thread: with a
    /// shared store, the photo is written there first).
    public func publish(id: String, path: String, format: String) -> String {
        let ext = ["png": "png", "jpeg": "jpg", "webp": "webp"][format] ?? "img"
        let type = ["png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"][format] ?? "application/octet-stream"
        entries.withLock { all in
            var entry = all[id] ?? Entry(path: path, contentType: type, holders: 0)
            entry.holders += 1
            all[id] = entry
        }
        let shared = store.withLock { $0 }
        var signer = ownSigner
        if let shared, let key = sharedSignerReading(shared), let bytes = PhotoShelf.read(path, limit: maxBytes),
           shared.putPhoto(id: id, contentType: type, bytes: bytes, lifetimeSeconds: lifetimeSeconds)
        {
            signer = key
        } else if shared == nil, let key = sharedSigner.withLock({ $0 }) {
            signer = key
        }
        let expires = Int64(time(nil)) + Int64(lifetimeSeconds)
        return "\(publicBaseURL)/photos/\(id).\(ext)?expires=\(expires)&sig=\(signer.signature(id: "photo:" + id, expiresAt: expires))"
    }

    /// The search is over: the URL stops working even before it expires (on a worker thread).
    public func withdraw(id: String) {
        let last = entries.withLock { all -> Bool in
            guard var entry = all[id] else { return false }
            entry.holders -= 1
            all[id] = entry.holders > 0 ? entry : nil
            return entry.holders <= 0
        }
        if last, let shared = store.withLock({ $0 }) { shared.removePhoto(id: id) }
    }

    /// The answer to `GET /photos/…`, called on the gateway's file queue (it reads the photo's
    /// file): at once for a photo on this gateway's shelf, else from the shared store's photo thread.
    func answer(_ head: HTTPRequestHead, _ completion: @escaping @Sendable (HTTPResponse) -> Void) {
        let name = head.path.dropFirst("/photos/".count)
        let id = String(name.prefix { $0 != "." })
        guard PhotoShelf.isPhotoID(id) else { return completion(.error(.notFound, code: "not_found", message: "no such photo")) }
        let expires = GatewayRouter.queryValue(head.query, "expires").flatMap { Int64($0) } ?? 0
        let sig = GatewayRouter.queryValue(head.query, "sig") ?? ""
        let token = "\(expires).\(sig)"
        let now = Int64(time(nil))
        let known = sharedSigner.withLock { $0 }
        let signed = ownSigner.verify(token, id: "photo:" + id, now: now) || known?.verify(token, id: "photo:" + id, now: now) == true
        let local = entries.withLock { $0[id] }
        guard let shared = store.withLock({ $0 }) else {
            return completion(signed ? PhotoShelf.serve(local, limit: maxBytes) : PhotoShelf.forbidden)
        }
        if signed, let local, let bytes = PhotoShelf.read(local.path, limit: maxBytes) {
            return completion(PhotoShelf.ok(local.contentType, bytes))
        }
        // Forged or expired, with every key known: refused without a trip to the store.
        if !signed, known != nil { return completion(PhotoShelf.forbidden) }
        let limit = maxBytes
        shared.onPhotoThread { [self] in
            // A key not read yet is read now (a gateway that never published a photo).
            let valid = signed || (known == nil && sharedSignerReading(shared)?.verify(token, id: "photo:" + id, now: now) == true)
            guard valid else { return completion(PhotoShelf.forbidden) }
            guard let photo = shared.photo(id: id), photo.bytes.count <= limit else {
                return completion(PhotoShelf.serve(entries.withLock { $0[id] }, limit: limit))
            }
            completion(PhotoShelf.ok(photo.contentType, photo.bytes))
        }
    }

    static let forbidden = HTTPResponse.error(HTTPStatus(403, "Forbidden"), code: "forbidden", message: "the photo link is not signed or has expired")

    private static func serve(_ entry: Entry?, limit: Int) -> HTTPResponse {
        guard let entry, let bytes = read(entry.path, limit: limit) else {
            return .error(.notFound, code: "not_found", message: "the photo is no longer available")
        }
        return ok(entry.contentType, bytes)
    }

    private static func ok(_ contentType: String, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", contentType), ("Cache-Control", "private, no-store")]), body: bytes)
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

    static func read(_ path: String, limit: Int) -> [UInt8]? { try? BoundedFile.read(path, limit: limit).get() }
}
