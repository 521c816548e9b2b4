import TestSupport
import CLeptonica
import Foundation
import Glibc
import JSON
import Testing

/// A 40-megapixel photo (ZBar's EAN-13 example blown up to 9508 × 4207) read by `lens-gpt read`
/// in a child process: the barcode is found and the child's peak memory stays bounded.
@Suite("Large photo", .enabled(if: lensGPTBinary != nil, "lens-gpt is not built next to the tests"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time is not installed (scripts/deps test)"))
struct LargePhotoTests {
    /// Writes the blown-up photo in Leptonica's `format` and returns its path.
    static func fortyMegapixels(format: Int32, suffix: String) throws -> String {
        let source = try PeerData.bytes("barcodes/zbar-examples/ean-13.png")
        let path = NSTemporaryDirectory() + "lens-gpt-40mp-\(UUID().uuidString).\(suffix)"
        let written = source.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            var small = pixReadMem(base, buffer.count)
            defer { pixDestroy(&small) }
            guard small != nil else { return false }
            var colour = pixConvertTo32(small)
            defer { pixDestroy(&colour) }
            guard colour != nil else { return false }
            let factor = Float((40_000_000 / Double(pixGetWidth(colour) * pixGetHeight(colour))).squareRoot())
            var large = pixScale(colour, factor, factor)
            defer { pixDestroy(&large) }
            guard large != nil else { return false }
            return pixWrite(path, large, format) == 0
        }
        try #require(written, "could not write \(path)")
        return path
    }

    @Test(arguments: [("jpg", Int32(IFF_JFIF_JPEG)), ("png", Int32(IFF_PNG))])
    func fortyMegapixelPhotoIsReadWithinBoundedMemory(suffix: String, format: Int32) throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png"), let lensGPT = lensGPTBinary else { return }
        let path = try LargePhotoTests.fortyMegapixels(format: format, suffix: suffix)
        defer { unlink(path) }
        // GNU time forks the reader from its own small process, so %M is the reader's peak alone
        // (a child spawned straight from this test process would inherit the test's own high-water mark).
        let run = try runProgram("/usr/bin/time", ["-f", "peak-kib %M", lensGPT, "read", path])
        #expect(run.status == 0, "\(run.err)")
        let json = try JSONParser.parse(run.out)
        #expect(json["barcodes"]?[0]?["value"] == "9789876543217")
        let peak = run.err.split(separator: "\n").last { $0.hasPrefix("peak-kib ") }.flatMap { Int($0.dropFirst(9)) }
        // A full 32-bit decode of 40 MP alone is 160 MB; the JPEG path decodes grey only.
        print("40-megapixel \(suffix): peak resident memory of lens-gpt read \((peak ?? 0) / 1024) MiB")
        #expect((peak ?? .max) < 400 * 1024)
    }
}
