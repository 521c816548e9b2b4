import EventLoop
import HTTP
import Pipeline

/// Everything the gateway can be told. Each value is a flag and a `LENS_GPT_*` variable of
/// `lens-gpt serve` (see README, "Settings").
public struct GatewaySettings: Sendable {
    public var http = HTTPServerConfiguration()
    /// Results, temp uploads and diagnostics live here.
    public var dataDirectory = "data"
    /// The demo page and other static files.
    public var webDirectory = "web"
    /// Largest accepted image.
    public var maxUploadBytes = 20 * 1024 * 1024
    /// Stage tasks running at once.
    public var workers = 2 * HTTPServerConfiguration.coreCount
    /// Stage tasks that may wait for a worker before new uploads get 503.
    public var queueLimit = 64
    public var stageTimeoutMillis = 60_000
    /// On SIGTERM, how long runs in progress may go on before they end as `interrupted`.
    public var shutdownGraceMillis = 10_000
    public var heartbeatMillis = 15_000
    public var sseRetryMillis = 3_000
    /// Unread SSE bytes after which a subscriber is disconnected. Replay pauses well before it
    /// (at the HTTP write high-water mark), so only a subscriber that stops reading gets near it.
    public var maxSubscriberBacklogBytes = 1024 * 1024
    /// A subscriber whose unread bytes have not drained for this long is disconnected.
    public var subscriberStallMillis = 30_000
    /// Finished results kept in memory (the store has them all).
    public var resultCacheSize = 256
    /// Finished results older than this are deleted from the store.
    public var resultRetentionSeconds: Int64 = 7 * 24 * 3600
    /// `/readyz` reports the disk as `low_space` (not ready) below this many free bytes in the data directory.
    public var minFreeDiskBytes = 64 * 1024 * 1024
    /// `/readyz` also reports whether the host has a usable default route (off for the offline demo).
    public var checkNetwork = false
    /// Where results are kept: nil for the SQLite file in the data directory, or a
    /// `redis://[user:password@]host:port[/db]` URL that several gateways share.
    public var storeURL: String?
    /// Redis store: how long a run's lease lasts unless its gateway renews it. A gateway that
    /// dies has its runs ended as `interrupted` this long after its last renewal.
    public var leaseMillis = 10_000
    /// Redis store: how long to wait for Redis on one call before it counts as unreachable.
    public var storeTimeoutMillis = 2_000
    /// `Retry-After` seconds when the store cannot be reached.
    public var storeRetryAfterSeconds = 5

    /// Largest image in pixels (width × height): a small file can declare a huge image.
    public var maxPixels = 100_000_000
    /// Origins allowed to call the API from a browser (`*` for any); empty: same origin only.
    public var corsOrigins: [String] = []
    /// When set, uploads need `Authorization: Bearer <token>` and result URLs carry a signed token.
    public var apiToken: String?
    /// Lifetime of the signed token in `events_url` / `result_url`.
    public var resultTokenSeconds = 3600
    /// Uploads per minute per client address (0: no limit), and how many may come in a burst.
    public var uploadsPerMinute = 60
    public var uploadBurst = 20

    /// HTTPS: nil serves plaintext only.
    public var tls: TLSSettings?
    /// What the plaintext port does when HTTPS is on.
    public var plaintext: PlaintextMode = .keep
    /// The locale of a request that names none (`country`, `language`, `Accept-Language`).
    public var defaultLocale = RunLocale.fallback

    public init() {}

    /// Multipart framing around the image (boundaries, part headers, small fields).
    var multipartAllowance: Int { 64 * 1024 }
}

/// The HTTPS listener: its port and a new TLS session for each connection, as a transform under
/// the stream. The TLS library is the caller's (the command line wires the TLS target's
/// certificate store), so the gateway never links it and a certificate reload never passes through it.
public struct TLSSettings: Sendable {
    public var port: Int
    public var session: @Sendable () throws -> any StreamTransform

    public init(port: Int = 3443, session: @escaping @Sendable () throws -> any StreamTransform) {
        self.port = port
        self.session = session
    }
}

/// The plaintext listener beside HTTPS: served as usual, not opened, or redirecting to HTTPS.
public enum PlaintextMode: String, Sendable, CaseIterable {
    case keep, off, redirect
}
