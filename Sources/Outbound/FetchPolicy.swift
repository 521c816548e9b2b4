/// Limits of fetching a web page named by page content (a Lens match, a link on a shop page).
public struct FetchPolicy: Sendable {
    /// Larger pages are cut at this size (`truncated`), not refused.
    public var maxBytes = 4 * 1024 * 1024
    /// Time limit of the whole fetch, redirects included.
    public var timeoutMillis = 10_000
    public var maxRedirects = 5
    /// `--allow-private-fetch`: let pages resolve to loopback and private addresses (demo and tests).
    public var allowPrivate = false
    /// e.g. `http://127.0.0.1:PORT`: every request goes through it (the demo world serves its
    /// `*.example` hosts this way). Its own address is configuration and is not checked; the hosts
    /// asked of it are.
    public var proxy: String? = nil
    /// Shops answer a browser more readily than a bot.
    public var userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"

    public init() {}
}
