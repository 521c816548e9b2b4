import Foundation
import Glibc
@testable import HTTP
import Testing

/// `web/` files: read once and served from memory while the file is unchanged, read again as soon
/// as it changes, whatever its size or timestamp do.
@Suite struct StaticFilesTests {
    private func get(_ files: StaticFiles, _ path: String) -> (status: Int, body: String) {
        let response = files.response(for: HTTPRequestHead(method: "GET", target: path))
        return (Int(response.status.code), String(decoding: response.body, as: UTF8.self))
    }

    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "lens-gpt-static-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Sets the file's modification time to `seconds`.`nanoseconds` since the epoch.
    private func setModified(_ path: String, seconds: Int, nanoseconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    @Test func anUnchangedFileIsServedFromMemory() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "hello".write(toFile: root + "/a.txt", atomically: false, encoding: .utf8)
        let files = StaticFiles(root: root)
        #expect(get(files, "/a.txt").body == "hello")
        #expect(files.cache.hits == 0)
        #expect(get(files, "/a.txt").body == "hello")
        #expect(get(files, "/a.txt").body == "hello")
        #expect(files.cache.hits == 2)
    }

    @Test func aRewriteOfTheSameSizeAndTimestampIsReadAgain() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/app.js"
        try "one();".write(toFile: path, atomically: false, encoding: .utf8)
        setModified(path, seconds: 1_700_000_000, nanoseconds: 0)
        let files = StaticFiles(root: root)
        #expect(get(files, "/app.js").body == "one();")
        // Same length, the same modification time put back: only the change time tells.
        try "two();".write(toFile: path, atomically: false, encoding: .utf8)
        setModified(path, seconds: 1_700_000_000, nanoseconds: 0)
        #expect(get(files, "/app.js").body == "two();")
        // Replaced by another file (a new inode), as an editor or a deploy does.
        try "six();".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(get(files, "/app.js").body == "six();")
        #expect(files.cache.hits == 0)
    }

    @Test func aRemovedFileIsNotServedFromMemory() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "x".write(toFile: root + "/gone.css", atomically: false, encoding: .utf8)
        let files = StaticFiles(root: root)
        #expect(get(files, "/gone.css").status == 200)
        try FileManager.default.removeItem(atPath: root + "/gone.css")
        #expect(get(files, "/gone.css").status == 404)
    }

    @Test func theCacheStaysWithinItsBounds() {
        let cache = StaticFileCache(maxBytes: 10, maxFileBytes: 6)
        var info = stat()
        info.st_size = 6
        let identity = StaticFileCache.Identity(info)
        cache.keep(Array("123456".utf8), for: "/big", identity)
        cache.keep(Array("1234567".utf8), for: "/too-big", identity)
        #expect(cache.body(for: "/too-big", identity) == nil, "a file over the per-file limit is not kept")
        cache.keep(Array("abcdef".utf8), for: "/second", identity)
        // 12 bytes would not fit in 10: the cache started over with the newest file.
        #expect(cache.body(for: "/big", identity) == nil)
        #expect(cache.body(for: "/second", identity) == Array("abcdef".utf8))
    }
}
