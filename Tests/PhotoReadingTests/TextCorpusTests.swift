import TestSupport
import Foundation
import JSON
import PhotoReading
import Synchronization
import Testing

/// Tesseract's own test images (peer-data `ocr/`) read through our reader: `phototest` must come
/// out with at least 95% of its words right, in order.
@Suite("Text corpus", .enabled(if: PeerData.available("ocr/MANIFEST.json")))
struct TextCorpusTests {
    /// Words of `expected` found in `read` in the same order (longest common subsequence), as a share.
    static func wordsRight(_ read: String, expected: String) -> (right: Int, of: Int) {
        let a = expected.split(whereSeparator: \.isWhitespace).map(String.init)
        let b = read.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !a.isEmpty, !b.isEmpty else { return (0, a.count) }
        var previous = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            var row = [Int](repeating: 0, count: b.count + 1)
            for j in 1...b.count { row[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], row[j - 1]) }
            previous = row
        }
        return (previous[b.count], a.count)
    }

    @Test func phototestWordsRight() throws {
        let expected = String(decoding: try PeerData.bytes("ocr/phototest.txt"), as: UTF8.self)
        let text = try TextReader().read(try PeerData.bytes("ocr/phototest.tif"))
        let (right, of) = TextCorpusTests.wordsRight(text.text, expected: expected)
        print("ocr/phototest.tif: \(right)/\(of) words right (\(100 * right / max(1, of))%), language \(text.language); upstream requires an exact match of phototest.txt")
        #expect(Double(right) >= 0.95 * Double(of))
        #expect(text.language == "eng")
        #expect(text.words.allSatisfy { $0.confidence >= 50 && $0.confidence <= 100 })
        #expect(text.lines.count >= 8)
    }

    @Test func upsideDownPhotoIsReadTurned() throws {
        guard PeerData.available("ocr/phototest-rotated-180.png") else { return }
        let expected = String(decoding: try PeerData.bytes("ocr/phototest.txt"), as: UTF8.self)
        let text = try TextReader().read(try PeerData.bytes("ocr/phototest-rotated-180.png"))
        let (right, of) = TextCorpusTests.wordsRight(text.text, expected: expected)
        #expect(Double(right) >= 0.95 * Double(of))
    }

    /// The other images of the folder, reported (not required of them).
    @Test func otherImagesReported() throws {
        let manifest = try PeerData.manifest("ocr")
        for image in manifest["images"]?.arrayValue ?? [] {
            guard let file = image["file"]?.stringValue, let expected = image["expected_text"]?.stringValue else { continue }
            let text = try TextReader().read(try PeerData.bytes("ocr/" + file))
            let (right, of) = TextCorpusTests.wordsRight(text.text, expected: expected)
            print("ocr/\(file): \(right)/\(of) words right")
            #expect(right <= of)
        }
    }

    @Test func sizeCapTruncates() throws {
        var limits = PhotoReadingLimits()
        limits.maxTextCharacters = 40
        let text = try TextReader(limits: limits).read(try PeerData.bytes("ocr/phototest.tif"))
        #expect(text.truncatedBy == .characters)
        #expect(text.text.count <= 40)
        #expect(text.text.hasPrefix("This is a lot"))
    }

    /// Only the time limit (the safety net) cuts this reading, and it says so.
    @Test func timeCapStopsTheReadingAndSaysSo() throws {
        let started = ContinuousClock.now
        let text = try TextReader().read(try PeerData.bytes("ocr/phototest.tif"), timeoutMillis: 1)
        #expect(text.truncatedBy == .time)
        #expect(text.words.count < 60)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    /// Busy threads on every core while `body` runs: a loaded server.
    static func underLoad<T>(_ body: () throws -> T) rethrows -> T {
        let load = BusyThreads()
        let threads = 2 * max(2, ProcessInfo.processInfo.activeProcessorCount)
        for _ in 0..<threads {
            Thread {
                load.running.add(1, ordering: .relaxed)
                var x: UInt64 = 1
                while !load.stop.load(ordering: .relaxed) { x = x &* 6364136223846793005 &+ 1442695040888963407 }
                load.running.subtract(1, ordering: .relaxed)
                if x == 42 { print("") }
            }.start()
        }
        defer {
            load.stop.store(true, ordering: .relaxed)
            waitUntil(timeout: 10, every: 0.001) { load.running.load(ordering: .relaxed) == 0 }
        }
        // Every thread spinning before the reading starts.
        waitUntil(timeout: 10, every: 0.001) { load.running.load(ordering: .relaxed) >= threads }
        return try body()
    }

    /// The line budget cuts the reading at the same line whatever the load: the same photo gives
    /// the same text idle and with every core busy, and that text is the start of the full reading.
    @Test func sameTextIdleAndUnderLoad() throws {
        let bytes = try PeerData.bytes("ocr/phototest.tif")
        var limits = PhotoReadingLimits()
        limits.maxTextLines = 4
        let reader = TextReader(limits: limits)
        let idle = try reader.read(bytes)
        let loaded = try Self.underLoad { try reader.read(bytes) }
        #expect(idle.truncatedBy == .lines)
        #expect(loaded == idle)
        let full = try TextReader().read(bytes)
        #expect(full.truncatedBy == nil)
        #expect(full.lines.count > 4)
        #expect(idle.lines == Array(full.lines.prefix(4)))
        let again = try Self.underLoad { try TextReader().read(bytes) }
        #expect(again == full)
    }

    @Test func requestLanguageFallsBackToInstalledData() {
        #expect(TesseractLanguages.choose(for: "de-DE", installed: ["eng", "deu"]) == "deu+eng")
        #expect(TesseractLanguages.choose(for: "de", installed: ["eng"]) == "eng")
        #expect(TesseractLanguages.choose(for: "fra", installed: ["eng", "fra"]) == "fra+eng")
        #expect(TesseractLanguages.choose(for: nil, installed: ["eng"]) == "eng")
        #expect(TesseractLanguages.choose(for: "../../etc", installed: ["eng"]) == "eng")
    }
}

/// What the busy threads of `TextCorpusTests.underLoad` share: when to stop, how many run.
private final class BusyThreads: Sendable {
    let stop = Atomic<Bool>(false)
    let running = Atomic<Int>(0)
}
