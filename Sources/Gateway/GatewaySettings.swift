import HTTP

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
    public var heartbeatMillis = 15_000
    public var sseRetryMillis = 3_000
    /// Unread SSE bytes after which a subscriber is disconnected.
    public var maxSubscriberBacklogBytes = 1024 * 1024
    /// Finished results kept in memory (the store has them all).
    public var resultCacheSize = 256
    /// Finished results older than this are deleted from the store.
    public var resultRetentionSeconds: Int64 = 7 * 24 * 3600

    public init() {}

    /// Multipart framing around the image (boundaries, part headers, small fields).
    var multipartAllowance: Int { 64 * 1024 }
}
