import Foundation
import Gateway
import HTTP
import Pipeline
import Producers
import TLS
import TestSupport
import Testing

/// How a test reaches the server: every gateway test runs over plaintext and TLS, and once
/// more (plaintext) with results in a real Redis instead of the SQLite file.
enum Transport: String, CaseIterable, CustomTestStringConvertible {
    case plaintext, tls, redis
    var testDescription: String { rawValue }

    static var allCases: [Transport] { RedisServer.binary == nil ? [.plaintext, .tls] : [.plaintext, .tls, .redis] }
}

/// A real gateway on a free loopback port with its own temp data directory; over TLS, with a
/// fresh development certificate that the test clients trust.
final class TestServer {
    let gateway: Gateway
    let directory: String
    let transport: Transport
    /// The Redis behind the `.redis` transport (its own, on a free port).
    let redis: RedisServer?
    /// The port the test clients use (the HTTPS one over TLS).
    var port: Int { transport == .tls ? (gateway.tlsPort ?? 0) : gateway.port }
    var certificatePath: String { directory + "/tls/cert.pem" }
    /// The certificate store behind the HTTPS listener (`.tls` only), for reload tests.
    private(set) var certificates: TLSCertificateStore?

    /// `redis`: a Redis to share with other servers (a restart, a second gateway); the `.redis`
    /// transport starts its own otherwise.
    init(transport: Transport = .plaintext, graph: PipelineGraph? = nil, store: ResultStore? = nil, redis shared: RedisServer? = nil,
         photos: PhotoShelf? = nil, thumbnails: (any ThumbnailStore)? = nil, _ configure: (inout GatewaySettings) -> Void = { _ in }) throws {
        self.transport = transport
        redis = transport == .redis ? try (shared ?? RedisServer()) : nil
        directory = NSTemporaryDirectory() + "lens-gpt-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = GatewaySettings.loopback(directory: directory)
        settings.http.loopCount = 2
        settings.webDirectory = directory + "/web"
        try FileManager.default.createDirectory(atPath: settings.webDirectory, withIntermediateDirectories: true)
        try Data("<!doctype html><title>lens-gpt</title>\n".utf8).write(to: URL(fileURLWithPath: settings.webDirectory + "/index.html"))
        if transport == .tls {
            let paths = try DevCertificate().write(toDirectory: directory + "/tls")
            let store = try TLSCertificateStore(configuration: TLSConfiguration(certificateChainPath: paths.certificatePath,
                                                                                privateKeyPath: paths.privateKeyPath))
            certificates = store
            settings.tls = TLSSettings(port: 0) { TLSStreamTransform(session: try store.makeSession()) }
        }
        if let redis { settings.storeURL = redis.url }
        configure(&settings)
        gateway = try Gateway(settings: settings, graph: graph ?? StageTree.graph(), store: store, photos: photos, thumbnails: thumbnails)
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        gateway.shutdown(graceMillis: 0)
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    func client() throws -> TestClient {
        try TestClient(port: port, trusting: transport == .tls ? certificatePath : nil)
    }

    /// One request on a new connection; the complete response.
    func request(_ raw: String, timeout: Double = 10) throws -> HTTPMessage {
        try request(Array(raw.utf8), timeout: timeout)
    }

    func request(_ raw: [UInt8], timeout: Double = 10) throws -> HTTPMessage {
        let client = try client()
        try client.send(raw)
        return try client.readResponse(timeout: timeout)
    }

    func get(_ path: String, headers: String = "") throws -> HTTPMessage {
        try request("GET \(path) HTTP/1.1\r\nHost: t\r\n\(headers)\r\n")
    }

    /// Uploads as multipart and reads the SSE stream to its end.
    func classify(_ image: [UInt8], accept: String? = nil) throws -> HTTPMessage {
        try request(Multipart.request(path: "/classify", fileBytes: image, accept: accept))
    }
}

enum Multipart {
    static let boundary = "----lensgpt-test-boundary"

    static func body(fileBytes: [UInt8], fieldName: String = "file", filename: String = "photo.png",
                     contentType: String = "image/png") -> [UInt8]
    {
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fieldName)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
        body += fileBytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return body
    }

    static func request(path: String, fileBytes: [UInt8], accept: String? = nil, fieldName: String = "file") -> [UInt8] {
        let body = body(fileBytes: fileBytes, fieldName: fieldName)
        var head = "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.count)\r\n"
        if let accept { head += "Accept: \(accept)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// One SSE frame as a client parses it.
struct SSEEvent: Equatable {
    var id: String?
    var event: String?
    var data: String
}

enum SSE {
    /// Frames of a stream body (fields per WHATWG; comments and `retry` skipped).
    static func parse(_ text: String) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for block in text.components(separatedBy: "\n\n") where !block.isEmpty {
            var event = SSEEvent(id: nil, event: nil, data: "")
            var hasData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") {
                    event.data += (hasData ? "\n" : "") + line.dropFirst(6)
                    hasData = true
                }
            }
            if hasData { events.append(event) }
        }
        return events
    }
}

/// Small valid images written in code.
enum TestImages {
    static func png(width: Int, height: Int, seed: UInt8 = 0) -> [UInt8] {
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)
            for x in 0..<(width * 3) { raw.append(UInt8(truncatingIfNeeded: x * 7 + y * 3 + Int(seed))) }
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let typeBytes = Array(type.utf8)
            return be32(data.count) + typeBytes + data + be32(Int(crc32(typeBytes + data)))
        }
        let ihdr = be32(width) + be32(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", storedZlib(raw)) + chunk("IEND", [])
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// zlib with stored (uncompressed) blocks: valid without a compressor.
    static func storedZlib(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65535, data.count - offset)
            let final: UInt8 = offset + count >= data.count ? 1 : 0
            out += [final, UInt8(count & 255), UInt8(count >> 8), UInt8(~count & 255), UInt8((~count >> 8) & 255)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + be32(Int(b << 16 | a))
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        let path = NSTemporaryDirectory() + UUID().uuidString
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(output.prefix(64))
    }
}
