import Glibc
import Outbound
import Synchronization

/// Where the ECB rates come from: an operator's rates file when given; otherwise the ECB's
/// daily XML fetched with the project's libcurl client at most every `refreshSeconds`, cached
/// with its date in the data directory so that an offline start has the last rates. Never a
/// rate written in code: without any of these, nothing is converted.
public final class ExchangeRateSource: Sendable {
    public static let ecbDailyURL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"

    let url: String?
    let cachePath: String?
    let ratesFile: String?
    let http: HTTPClient
    let refreshSeconds: Int64
    /// After a failed fetch, the next try waits this long (the stage must not pay for a dead network each time).
    let retrySeconds: Int64 = 600
    let timeoutMillis: Int
    private struct State {
        var rates: ExchangeRates?
        var nextFetch: Int64 = 0
    }
    private let state = Mutex(State())

    public init(url: String?, cachePath: String?, ratesFile: String?, http: HTTPClient = HTTPClient(), refreshSeconds: Int64 = 6 * 3600,
                timeoutMillis: Int = 5_000)
    {
        self.url = url
        self.cachePath = cachePath
        self.ratesFile = ratesFile
        self.http = http
        self.refreshSeconds = refreshSeconds
        self.timeoutMillis = timeoutMillis
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the rates file (or the cache) once at startup, so a bad file is a startup error.
    public func load() throws(Invalid) {
        if let ratesFile {
            guard let bytes = LensProfile.readFile(ratesFile, limit: 1 << 20), let rates = ExchangeRates.parseECB(bytes) else {
                throw Invalid(description: "the rates file \(ratesFile) is not in the ECB's eurofxref-daily.xml shape")
            }
            state.withLock { $0.rates = rates }
        } else if let cachePath, let bytes = LensProfile.readFile(cachePath, limit: 1 << 20), let rates = ExchangeRates.parseECB(bytes) {
            state.withLock { $0.rates = rates }
        }
    }

    /// The freshest rates there are (fetching when due), or nil.
    public func current() -> ExchangeRates? {
        let now = Int64(time(nil))
        let due = state.withLock { s -> Bool in
            guard ratesFile == nil, url != nil, now >= s.nextFetch else { return false }
            s.nextFetch = now + retrySeconds  // one fetch at a time; a failure waits this long
            return true
        }
        if due, let url, let fetched = try? http.send(HTTPClientRequest(url: url, timeoutMillis: timeoutMillis, maxResponseBytes: 1 << 20)),
           fetched.status == 200, let rates = ExchangeRates.parseECB(fetched.body)
        {
            state.withLock {
                $0.rates = rates
                $0.nextFetch = now + refreshSeconds
            }
            if let cachePath { ExchangeRateSource.save(fetched.body, to: cachePath) }
        }
        return state.withLock { $0.rates }
    }

    /// Write to a temporary name, then rename: a crash never leaves half a cache.
    static func save(_ bytes: [UInt8], to path: String) {
        let temporary = path + ".tmp"
        guard LensDiagnostics.write(bytes, to: temporary) else { return }
        rename(temporary, path)
    }
}
