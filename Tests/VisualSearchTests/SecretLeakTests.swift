import DemoWorld
import Foundation
import Glibc
import JSON
@testable import LensGPT
import Logging
import Outbound
import Producers
import Secrets
import Synchronization
import TestSupport
import Testing

/// The hosted Lens API's key never leaves the process when the API is down or silent: not in
/// the SSE events, `GET /results/{id}`, `/readyz` with the canary on, `/metrics`, diagnostics
/// files or the log.
@Suite(.serialized) struct SecretLeakTests {
    /// The key the demo wiring gives the hosted provider (what `SERPAPI_API_KEY` would be).
    static let key = HostedLensReplica.apiKey

    enum Endpoint: String, CaseIterable, CustomTestStringConvertible {
        /// Nothing listens: the connection is refused.
        case down
        /// A listener that never answers: the request times out.
        case silent
        var testDescription: String { rawValue }
    }

    @Test(arguments: Endpoint.allCases) func theKeyStaysInWhenTheHostedAPIFails(_ endpoint: Endpoint) throws {
        let silent = endpoint == .silent ? try SilentListener() : nil
        defer { silent?.close() }
        let port = try silent?.port ?? closedPort()
        let demo = try DemoPipeline.visual(arguments: ["--no-browser", "--visual-providers", "serpapi",
                                                   "--hosted-lens-url", "http://127.0.0.1:\(port)/search.json",
                                                   "--hosted-lens-timeout-ms", "1500"],
                                       canaryMillis: 600_000)
        defer { demo.stop() }
        let expectedCode = endpoint == .down ? "network_unavailable" : "lens_api_timeout"

        // The canary's first round runs at once and fails: /readyz shows it, without the key.
        var readyz = ""
        #expect(try waitUntil(timeout: 30, every: 0.05) {
            readyz = try demo.http.get(demo.base + "/readyz").text
            return readyz.contains(expectedCode)
        }, "\(readyz)")
        #expect(!readyz.contains(SecretLeakTests.key), "\(readyz)")
        let metrics = try demo.http.get(demo.base + "/metrics").text
        #expect(metrics.contains("lens_gpt_canary_searches_total{provider=\"serpapi\",result=\"failed\"}"))
        #expect(!metrics.contains(SecretLeakTests.key))

        // A run: the stage error says what failed, never with the key.
        let photo = try #require(LensCatalog.product("desk-lamp")?.photo)
        let upload = try demo.http.send(HTTPClientRequest(method: "POST", url: demo.base + "/classify",
                                                          headers: [("Content-Type", "image/png"), ("Accept", "application/json")],
                                                          body: photo, timeoutMillis: 60_000))
        #expect(upload.status == 202, "\(upload.text)")
        let id = try #require(try upload.json()["id"]?.stringValue)
        let events = try demo.http.send(HTTPClientRequest(url: demo.base + "/results/\(id)/events", timeoutMillis: 120_000)).text
        #expect(events.contains("event: done"), "\(events)")
        let stageError = try #require(events.components(separatedBy: "\n").first { $0.contains(expectedCode) }, "\(events)")
        #expect(stageError.contains("127.0.0.1:\(port)"))  // it still names where it failed
        #expect(!events.contains(SecretLeakTests.key), "\(stageError)")
        #expect(!events.contains("api_key="), "\(stageError)")
        let stored = try demo.http.get(demo.base + "/results/\(id)").text
        #expect(stored.contains(expectedCode))
        #expect(!stored.contains(SecretLeakTests.key), "\(stored)")
        // The canary's entry once more, now that it has certainly been written.
        #expect(!(try demo.http.get(demo.base + "/readyz").text).contains(SecretLeakTests.key))
    }

    @Test func diagnosticsFilesAreScrubbed() throws {
        let key = "diag-key-" + UUID().uuidString
        SecretScrubber.shared.register(key, as: SecretSettings.hostedLensKey)
        let directory = NSTemporaryDirectory() + "lens-gpt-diag-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = "<html><body>Invalid API key \(key). <a href=\"/search.json?engine=google_lens&api_key=\(key)\">retry</a></body></html>"
        let ids = LensDiagnostics(directory: directory).save(name: "leak", screenshot: [0x89, 0x50], pageSource: page)
        let html = try #require(ids.first { $0.hasSuffix(".html") })
        let saved = try String(contentsOfFile: directory + "/" + html, encoding: .utf8)
        #expect(saved.contains("Invalid API key REDACTED"))
        #expect(!saved.contains(key), "\(saved)")
    }

    @Test func logLinesAreScrubbed() throws {
        let key = "log-key-" + UUID().uuidString
        SecretScrubber.shared.register(key, as: SecretSettings.hostedLensKey)
        let captured = CapturedLog()
        var logger = Logger(label: "lens-gpt") { _ in ScrubbingLogHandler(CapturingLogHandler(captured: captured)) }
        logger[metadataKey: "endpoint"] = "https://serpapi.com/search.json?api_key=\(key)"
        logger.error("canary: GET https://serpapi.com/search.json?engine=google_lens&api_key=\(key): timeout",
                     metadata: ["key": .string(key), "list": .array([.stringConvertible(key)])])
        struct Failure: Error, CustomStringConvertible { let description: String }
        logger.log(level: .warning, "store: failed", error: Failure(description: "AUTH \(key) refused"))
        let lines = captured.lines
        #expect(lines.count == 2)
        #expect(lines.first?.contains("api_key=REDACTED") == true, "\(lines)")
        #expect(lines.allSatisfy { !$0.contains(key) }, "\(lines)")
        #expect(lines.last?.contains("AUTH REDACTED refused") == true, "\(lines)")
    }

    @Test func secretsComeFromAFileAndAreRegistered() throws {
        let directory = NSTemporaryDirectory() + "lens-gpt-secret-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let value = "SOCS=CAESfile\(UUID().uuidString.prefix(8)); NID=511=nid\(UUID().uuidString.prefix(8))"
        let path = directory + "/cookies"
        try Data((value + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let read = try Setting.secret(nil, flagName: "--lens-cookies", file: path, fileFlagName: "--lens-cookies-file",
                                      fileEnv: "LENS_GPT_LENS_COOKIES_FILE_UNSET_IN_TESTS", env: "LENS_GPT_LENS_COOKIES_UNSET_IN_TESTS",
                                      as: SecretSettings.lensCookies)
        #expect(read == value)
        let cookieValue = String(value.split(separator: ";")[0].dropFirst("SOCS=".count))
        #expect(SecretScrubber.shared.scrub("cookie \(cookieValue)") == "cookie REDACTED")
        // The whole options path: the file feeds the cookies; both at once, or a missing file, is a clear error.
        let options = try VisualSearchOptions.parse(["--lens-cookies-file", path])
        #expect(options.lensCookiesFile == path)
        #expect(throws: SettingError.self) {
            try Setting.secret("A=b", flagName: "--lens-cookies", file: path, fileFlagName: "--lens-cookies-file",
                               fileEnv: "X_UNSET", env: "Y_UNSET", as: SecretSettings.lensCookies)
        }
        do {
            _ = try Setting.secret(nil, flagName: "--store", file: directory + "/missing", fileFlagName: "--store-file",
                                   fileEnv: "X_UNSET", env: "Y_UNSET", as: SecretSettings.store)
            Issue.record("a missing file was read")
        } catch let error as SettingError {
            #expect(error.description.contains("--store-file: cannot read"))
        }
        // The store URL from a file, its password registered.
        let storePath = directory + "/store"
        try Data("redis://:filepass\(UUID().uuidString.prefix(6))@127.0.0.1:6379/0\n".utf8).write(to: URL(fileURLWithPath: storePath))
        let settings = try ServeCommand.parse(["--store-file", storePath]).resolveSettings()
        let url = try #require(settings.storeURL)
        #expect(url.hasPrefix("redis://:filepass"))
        let password = String(url.dropFirst("redis://:".count).prefix { $0 != "@" })
        #expect(SecretScrubber.shared.scrub("AUTH \(password)") == "AUTH REDACTED")
    }

    @Test func theHelpSaysFlagsAreVisibleAndOffersFiles() {
        let help = ServeCommand.helpMessage(columns: 10_000)
        #expect(help.contains("--lens-cookies-file"))
        #expect(help.contains("--store-file"))
        #expect(help.contains("visible to every user of the machine (ps)"))
    }
}

/// A loopback listener that accepts connections into its backlog and never answers.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else {
            if fd >= 0 { _ = Glibc.close(fd) }
            throw TestFailure("cannot listen on loopback")
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}

final class CapturedLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

/// Writes what a stream handler would: the message, the metadata (handler's and the call's) and the error.
struct CapturingLogHandler: LogHandler {
    let captured: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        captured.append("\(event.level) \(fields) \(event.message)" + (event.error.map { " error=\($0)" } ?? ""))
    }
}
