import TestSupport
import Foundation
import JSON
@testable import PhotoReading
import Testing

/// zxing-cpp's and ZBar's own retail barcode photos (peer-data `barcodes/`): per folder, how many
/// we decode to the expected GTIN, beside Debian's `zbarimg` on the same files and the figure
/// zxing-cpp's own test suite requires of itself. Goal: every image zbarimg decodes, and no
/// wrong value ever.
@Suite("Barcode corpus", .enabled(if: PeerData.available("barcodes/MANIFEST.json")))
struct BarcodeCorpusTests {
    static let zbarimg = ["/usr/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Images per folder decoded to the expected GTIN by ZBar alone (its plain scan and the
    /// retries), measured before ZXing joined it: with a second decoder no folder may read fewer.
    static let decodedWithZBarAlone = [
        "ean13-1": 12, "ean13-3": 8, "ean8-1": 9, "upca-1": 5, "upce-1": 3, "ean13-1-prewebp": 20,
        "ean13-3-prewebp": 8, "ean8-1-prewebp": 9, "upca-1-prewebp": 5, "upce-1-prewebp": 3, "zbar-examples": 4,
    ]

    struct Tally {
        var images = 0
        var ours = 0
        var oursFirstPass = 0
        var byBoth = 0
        var wrong: [String] = []
        var zbarimg = 0
        var zbarimgOnly: [String] = []
    }

    @Test func decodeRatePerFolderWithNoWrongValue() throws {
        let manifest = try PeerData.manifest("barcodes")
        let folders = try #require(manifest["folders"]?.objectValue)
        var total = Tally()
        if BarcodeCorpusTests.zbarimg == nil { print("zbarimg not installed (zbar-tools): its column stays empty") }
        for (folder, entry) in folders.entries {
            var tally = Tally()
            for image in entry["images"]?.arrayValue ?? [] {
                guard let file = image["file"]?.stringValue, let expected = image["gtin"]?.stringValue else { continue }
                tally.images += 1
                let bytes = try PeerData.bytes("barcodes/" + file)
                let reader = BarcodeReader()
                let grey = try PhotoDecoder.decode(bytes, limits: reader.limits, fittingIn: reader.limits.barcodePixels)
                let found = reader.read(grey, deadline: nil)
                if found.contains(where: { $0.gtin == expected }) { tally.ours += 1 }
                if found.contains(where: { $0.gtin == expected && $0.decoders == [.zbar, .zxing] }) { tally.byBoth += 1 }
                #expect(found.allSatisfy { !$0.decoders.isEmpty }, "\(file): a barcode without its decoders")
                if reader.scan(grey).contains(where: { $0.gtin == expected }) { tally.oursFirstPass += 1 }
                for barcode in found where barcode.gtin != expected { tally.wrong.append("\(file): \(barcode.value)") }
                if let zbarimg = BarcodeCorpusTests.zbarimg {
                    let run = try runProgram(zbarimg, ["-q", PeerData.path("barcodes/" + file)])
                    let values = run.out.split(separator: "\n").compactMap { $0.split(separator: ":", maxSplits: 1).last.map(String.init) }
                    let decoded = values.contains { v in
                        (v.count == 8 ? GTIN.expandUPCE(v).flatMap(GTIN.normalized) : nil) == expected || GTIN.normalized(v) == expected
                    }
                    if decoded {
                        tally.zbarimg += 1
                        if !found.contains(where: { $0.gtin == expected }) { tally.zbarimgOnly.append(file) }
                    }
                }
            }
            let upstream = (entry["upstream_min_pass"]?["cases"]?.arrayValue ?? []).compactMap { c -> String? in
                guard let rotation = c["rotation"]?.intValue, let fast = c["fast_min_pass"]?.intValue,
                      let slow = c["slow_min_pass"]?.intValue else { return nil }
                return "\(rotation)°: \(fast) fast / \(slow) tryHarder"
            }
            print("barcodes/\(folder): lens-gpt \(tally.ours)/\(tally.images) (plain scan \(tally.oursFirstPass), both decoders \(tally.byBoth)), "
                  + "zbarimg \(tally.zbarimg)/\(tally.images), wrong \(tally.wrong.count); zxing-cpp requires of itself "
                  + (upstream.isEmpty ? "nothing stated" : upstream.joined(separator: ", ")))
            #expect(tally.wrong.isEmpty, "wrong values in \(folder): \(tally.wrong)")
            let before = try #require(BarcodeCorpusTests.decodedWithZBarAlone[folder], "no count measured for \(folder)")
            #expect(tally.ours >= before, "\(folder): \(tally.ours) decoded, \(before) with ZBar alone")
            #expect(tally.zbarimgOnly.isEmpty, "zbarimg decodes what we do not: \(tally.zbarimgOnly)")
            #expect(tally.ours >= tally.oursFirstPass)
            total.images += tally.images
            total.ours += tally.ours
            total.zbarimg += tally.zbarimg
        }
        print("barcodes, all folders: lens-gpt \(total.ours)/\(total.images), zbarimg \(total.zbarimg)/\(total.images)")
        #expect(total.ours > 0)
    }

    /// The same photo turned upside down reads the same (zxing-cpp's suite also runs each at 180°).
    @Test func upsideDownReadsTheSame() throws {
        let bytes = try PeerData.bytes("barcodes/zbar-examples/ean-13.png")
        let reader = BarcodeReader()
        let grey = try PhotoDecoder.decode(bytes, limits: reader.limits, fittingIn: reader.limits.barcodePixels)
        let turned = try #require(grey.rotated(degrees: 180))
        let upright = reader.read(grey, deadline: nil)
        #expect(!upright.isEmpty)
        #expect(reader.read(turned, deadline: nil) == upright)
    }
}
