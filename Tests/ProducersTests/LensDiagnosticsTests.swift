import Foundation
import Glibc
import Producers
import Testing

/// Failure diagnostics are bounded, private, purged and named by id, never by path.
@Suite struct LensDiagnosticsTests {
    let directory = NSTemporaryDirectory() + "lens-gpt-diag-" + UUID().uuidString

    /// The data directory exists (the gateway makes it); its `diagnostics/` is made on first save.
    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func idsNotPathsAndFilesOnlyTheOwnerCanRead() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let diagnostics = LensDiagnostics(directory: directory + "/diagnostics")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        let ids = diagnostics.save(name: "3f2a9c0e1b7d4a55ffff", screenshot: png, pageSource: "<html>unusual traffic</html>")
        #expect(ids.count == 2)
        for id in ids {
            #expect(id.hasPrefix("diag-3f2a9c0e1b7d4a55-"))
            #expect(!id.contains("/") && !id.contains(directory))
            let path = try #require(diagnostics.path(for: id))
            #expect(mode(path) == 0o600, "\(id): \(String(mode(path), radix: 8))")
        }
        #expect(mode(directory + "/diagnostics") == 0o700)
        let screenshot = try #require(ids.first { $0.hasSuffix(".png") }.flatMap(diagnostics.path(for:)))
        #expect(FileManager.default.contents(atPath: screenshot) == Data(png))
        // An id is never a way out of the directory.
        for bad in ["../results.sqlite", "diag-../../etc/passwd", "/etc/passwd", "diag-x/../../y", "results.sqlite"] {
            #expect(diagnostics.path(for: bad) == nil, "\(bad)")
        }
        // A name that is not an id character is not copied into the file name.
        let odd = diagnostics.save(name: "../../x", screenshot: nil, pageSource: "x")
        #expect(odd.count == 1 && !(odd.first ?? "/").contains("/"))
    }

    @Test func boundedInCountAndBytesOldestFirst() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let byCount = LensDiagnostics(directory: directory + "/count", maxFiles: 5, maxBytes: 1 << 20)
        var all: [String] = []
        for i in 0..<12 { all += byCount.save(name: "r\(i)", screenshot: [UInt8](repeating: 1, count: 100), pageSource: "page \(i)") }
        let kept = byCount.list()
        #expect(kept.count == 5)
        #expect(kept.map(\.id).contains(all.last ?? "?"))  // the newest stays
        #expect(byCount.path(for: all[0]) == nil)  // the oldest went

        let byBytes = LensDiagnostics(directory: directory + "/bytes", maxFiles: 1000, maxBytes: 10_000)
        for i in 0..<20 { _ = byBytes.save(name: "b\(i)", screenshot: [UInt8](repeating: 2, count: 3_000), pageSource: nil) }
        #expect(byBytes.list().reduce(0) { $0 + $1.bytes } <= 10_000)
        #expect(byBytes.list().count == 3)
        // Larger than the whole budget: not kept at all.
        #expect(byBytes.save(name: "huge", screenshot: [UInt8](repeating: 3, count: 20_000), pageSource: nil).isEmpty)
    }

    @Test func purgedWithTheResults() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let diagnostics = LensDiagnostics(directory: directory + "/purge")
        let old = diagnostics.save(name: "old", screenshot: [1, 2, 3], pageSource: nil)
        let fresh = diagnostics.save(name: "fresh", screenshot: [4, 5, 6], pageSource: nil)
        let oldPath = try #require(old.first.flatMap(diagnostics.path(for:)))
        // Eight days ago: older than the 7-day retention.
        var times = [timespec(tv_sec: time(nil) - 8 * 86_400, tv_nsec: 0), timespec(tv_sec: time(nil) - 8 * 86_400, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, oldPath, &times, 0) == 0)
        #expect(diagnostics.purge(olderThanSeconds: 7 * 86_400) == 1)
        #expect(diagnostics.path(for: old.first ?? "?") == nil)
        #expect(diagnostics.path(for: fresh.first ?? "?") != nil)
    }
}
