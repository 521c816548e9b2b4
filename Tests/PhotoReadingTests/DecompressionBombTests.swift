import TestSupport
import CLeptonica
import Dispatch
import Foundation
import Glibc
import Synchronization
@testable import PhotoReading
import Testing

/// Small files that decode to 100 megapixels, read by `lens-gpt read` in a child process whose
/// peak memory GNU time measures: decoded at the readers' size (PNG by rows) or refused before
/// decoding (a lossless WebP's decoder holds the whole image), never decoded whole.
@Suite("Decompression bombs", .enabled(if: lensGPTBinary != nil, "lens-gpt is not built next to the tests"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time is not installed (scripts/deps test)"))
struct DecompressionBombTests {
    @Test func hundredMegapixelPNGIsReadByRowsWithinBoundedMemory() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png"), let lensGPT = lensGPTBinary else { return }
        // 24-bit colour, as the reported bomb: Leptonica decoded it as 400 MB of 32-bit pixels
        // plus libpng's rows, then a grey copy.
        let path = try PhotoFixtures.blownUp(try PeerData.bytes("barcodes/zbar-examples/ean-13.png"), toPixels: 100_000_000,
                                             format: Int32(IFF_PNG), colour: true, suffix: "png")
        defer { unlink(path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let (run, peak) = try PhotoFixtures.measured(lensGPT, ["read", path])
        print("100-megapixel PNG (\(size / 1024) KiB): peak resident memory of lens-gpt read \(peak / 1024) MiB")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("9789876543217"), "\(run.out)")
        #expect(peak < 400 * 1024)
    }

    @Test func hundredMegapixelLosslessWebPIsRefusedBeforeDecoding() throws {
        guard let lensGPT = lensGPTBinary else { return }
        let side = 10_000
        let webp = try PhotoFixtures.webp(width: side, height: side, level: 255, lossless: true)
        let path = NSTemporaryDirectory() + "lens-gpt-bomb-\(UUID().uuidString).webp"
        try Data(webp).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let (run, peak) = try PhotoFixtures.measured(lensGPT, ["read", path])
        print("100-megapixel lossless WebP (\(webp.count) bytes): peak resident memory of lens-gpt read \(peak / 1024) MiB")
        #expect(run.status == 1)
        #expect(run.err.contains("\"photo_too_costly\""), "\(run.err)")
        #expect(peak < 200 * 1024)
    }
}

/// Decoding at the size asked for, format by format, and the budget's queue.
@Suite("Photo decoding")
struct PhotoDecodingTests {
    @Test(arguments: [true, false])
    func webpIsDecodedScaledAndStillRead(lossless: Bool) throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let sample = try PhotoFixtures.grey(try PeerData.bytes("barcodes/zbar-examples/ean-13.png"))
        let webp = try PhotoFixtures.webp(width: sample.width, height: sample.height, pixels: sample.pixels, lossless: lossless)
        let target = sample.width * sample.height / 2
        let grey = try PhotoDecoder.decode(webp, limits: PhotoReadingLimits(), fittingIn: target, budget: PhotoMemoryBudget())
        // Decoded straight at the smaller size (libwebp's scaler), not whole and then scaled.
        #expect(grey.pixels <= target && grey.pixels >= target * 9 / 10)
        #expect(BarcodeReader().read(grey, deadline: nil).map(\.value) == ["9789876543217"])
    }

    @Test func pngIsShrunkByRowsToTheSizeAsked() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let original = try PeerData.bytes("barcodes/zbar-examples/ean-13.png")
        let sample = try PhotoFixtures.grey(original)
        // Four times the size each way, in colour; shrunk by rows to twice the size.
        let path = try PhotoFixtures.blownUp(original, toPixels: Double(16 * sample.width * sample.height), format: Int32(IFF_PNG),
                                             colour: true, suffix: "png")
        defer { unlink(path) }
        let large = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let target = 4 * sample.width * sample.height
        let grey = try PhotoDecoder.decode(large, limits: PhotoReadingLimits(), fittingIn: target, budget: PhotoMemoryBudget())
        #expect(grey.pixels <= target && grey.pixels >= target * 9 / 10)
        #expect(abs(Double(grey.width) / Double(grey.height) - Double(sample.width) / Double(sample.height)) < 0.02)
        #expect(BarcodeReader().read(grey, deadline: nil).map(\.value) == ["9789876543217"])
        // At full size, the pixels Leptonica decodes (its palette-to-grey rounds edge colours its own way).
        let whole = try PhotoDecoder.decode(original, limits: PhotoReadingLimits(), fittingIn: .max, budget: PhotoMemoryBudget()).bytes()
        #expect(whole.count == sample.pixels.count)
        let differences = zip(whole, sample.pixels).map { abs(Int($0) - Int($1)) }
        print("PNG by rows against Leptonica: mean difference \(Double(differences.reduce(0, +)) / Double(differences.count)), largest \(differences.max() ?? 0), \(differences.filter { $0 > 1 }.count) of \(differences.count) differ by more than 1")
        #expect(differences.reduce(0, +) < 2 * differences.count)
    }

    /// The readers were tuned on Leptonica's grey: a PNG read by rows at full size gives the same pixels.
    @Test(arguments: ["barcodes/ean13-1-prewebp/37.png", "barcodes/zbar-examples/ean-13.png"])
    func pngByRowsIsLeptonicasGrey(file: String) throws {
        guard PeerData.available(file) else { return }
        let bytes = try PeerData.bytes(file)
        let leptonica = try PhotoFixtures.grey(bytes)
        let rows = try PhotoDecoder.decode(bytes, limits: PhotoReadingLimits(), fittingIn: .max, budget: PhotoMemoryBudget()).bytes()
        let differences = zip(rows, leptonica.pixels).map { abs(Int($0) - Int($1)) }
        #expect(rows.count == leptonica.pixels.count)
        #expect(differences.allSatisfy { $0 == 0 }, "\(file): \(differences.filter { $0 > 0 }.count) pixels differ, by up to \(differences.max() ?? 0)")
    }

    /// Shrunk to half the height or less: from the last pass alone (every odd row); by less:
    /// read whole, then scaled.
    @Test(arguments: [0.25, 0.8])
    func interlacedPNGIsShrunk(share: Double) throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let sample = try PhotoFixtures.grey(try PeerData.bytes("barcodes/zbar-examples/ean-13.png"))
        let (width, height) = (sample.width * 4, sample.height * 4)
        var large = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { large[y * width + x] = sample.pixels[(y / 4) * sample.width + x / 4] } }
        let png = try PhotoFixtures.interlacedPNG(width: width, height: height, pixels: large)
        #expect(DecodePlan.isInterlacedPNG(png))
        let target = Int(Double(width * height) * share)
        let grey = try PhotoDecoder.decode(png, limits: PhotoReadingLimits(), fittingIn: target, budget: PhotoMemoryBudget())
        // Leptonica's scaling (the second case) rounds to the nearer pixel: a row and a column over at most.
        #expect(grey.pixels <= target + grey.width + grey.height && grey.pixels >= target * 9 / 10)
        #expect(BarcodeReader().read(grey, deadline: nil).map(\.value) == ["9789876543217"])
    }

    /// A progressive JPEG's decoder keeps every coefficient of the image whatever the output size: the estimate says so.
    @Test func progressiveJPEGCountsItsCoefficients() throws {
        let path = NSTemporaryDirectory() + "lens-gpt-progressive-\(UUID().uuidString).jpg"
        defer { unlink(path); unlink(path + ".baseline.jpg") }
        var pix: UnsafeMutablePointer<PIX>? = pixCreate(2000, 2000, 8)
        defer { pixDestroy(&pix) }
        try #require(pixWriteJpeg(path, pix, 75, 1) == 0 && pixWriteJpeg(path + ".baseline.jpg", pix, 75, 0) == 0)
        let progressive = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let baseline = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + ".baseline.jpg")))
        let target = 100_000
        let plans = try [progressive, baseline].map { try DecodePlan($0, PhotoDecoder.readHeader($0), targetPixels: target) }
        // 2 bytes a pixel of coefficients against an eighth-size decode.
        #expect(plans[0].estimatedBytes >= 2000 * 2000 * 2)
        #expect(plans[1].estimatedBytes < 2000 * 2000 / 2)
    }

    @Test func aDecodeWaitsForTheBudgetThenIsRefused() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let bytes = try PeerData.bytes("barcodes/zbar-examples/ean-13.png")
        var limits = PhotoReadingLimits()
        limits.memoryBudget = 32 << 20
        limits.memoryWaitMillis = 100
        let budget = PhotoMemoryBudget()
        let others = try budget.reserve(31 << 20, of: limits.memoryBudget, waitingUntil: .now)
        #expect(throws: PhotoReadingError.self) { try PhotoDecoder.decode(bytes, limits: limits, fittingIn: 12_000_000, budget: budget) }
        do {
            _ = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: 12_000_000, budget: budget)
        } catch {
            #expect(error.code == "photo_busy" && error.retryable)
        }
        others.release()
        let grey = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: 12_000_000, budget: budget)
        // The decoded copy holds its share until it is freed.
        #expect(budget.inUse == grey.pixels * PhotoDecoder.readingBytesPerPixel)
        grey.reservation?.release()
        #expect(budget.inUse == 0)
    }

    @Test func aWaitingDecodeGoesOnWhenMemoryIsGivenBack() throws {
        let budget = PhotoMemoryBudget()
        let first = try budget.reserve(60, of: 100, waitingUntil: .now)
        let deadline = ContinuousClock.now + .seconds(10)
        let outcome = reserveWaiting(50, of: 100, in: budget, until: deadline)
        #expect(budget.waiting == 1)
        #expect(outcome.withLock { $0 } == nil)
        first.release()
        while outcome.withLock({ $0 }) == nil && ContinuousClock.now < deadline { sched_yield() }
        #expect(outcome.withLock { $0 } == .success(50))
    }

    /// An ordinary photo's small reservation that fits is not queued behind a bomb's large one
    /// that does not; a large one that fits still waits behind the large one before it.
    @Test func aSmallReservationGoesPastALargeOneThatWaits() throws {
        let budget = PhotoMemoryBudget()
        let bomb = try budget.reserve(70, of: 100, waitingUntil: .now)
        let deadline = ContinuousClock.now + .seconds(10)
        let outcome = reserveWaiting(60, of: 100, in: budget, until: deadline)
        #expect(budget.waiting == 1)
        // 12 of 100 is small (at most an eighth) and fits beside the 70 held: granted at once.
        let small = try budget.reserve(12, of: 100, waitingUntil: .now)
        #expect(budget.inUse == 82)
        // 18 fits too (82 + 18), but is not small: it waits its turn behind the 60 and runs out of time.
        #expect(throws: PhotoReadingError.self) { try budget.reserve(18, of: 100, waitingUntil: .now + .milliseconds(50)) }
        small.release()
        bomb.release()
        while outcome.withLock({ $0 }) == nil && ContinuousClock.now < deadline { sched_yield() }
        #expect(outcome.withLock { $0 } == .success(60))
    }

    /// Reserves `bytes` on another thread (released at once when granted) and returns once that
    /// reservation waits in `budget`; the outcome is set when it is granted or refused.
    private func reserveWaiting(_ bytes: Int, of limit: Int, in budget: PhotoMemoryBudget,
                                until deadline: ContinuousClock.Instant) -> Locked<Result<Int, PhotoReadingError>?>
    {
        let outcome = Locked<Result<Int, PhotoReadingError>?>(nil)
        Thread {
            do throws(PhotoReadingError) {
                let reservation = try budget.reserve(bytes, of: limit, waitingUntil: .now + .seconds(30))
                outcome.withLock { $0 = .success(reservation.bytes) }
                reservation.release()
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
        }.start()
        while budget.waiting == 0 && ContinuousClock.now < deadline { sched_yield() }
        return outcome
    }

    @Test func aPhotoLargerThanTheWholeBudgetIsRefusedAtOnce() {
        let budget = PhotoMemoryBudget()
        #expect(throws: PhotoReadingError.overBudget(needs: 200, budget: 100)) {
            try budget.reserve(200, of: 100, waitingUntil: .now + .seconds(30))
        }
        #expect(budget.inUse == 0 && budget.waiting == 0)
    }
}

/// CMYK JPEGs (print workflows, some cameras), plain and Adobe-inverted: turned grey by the
/// light the inks leave, then read like any photo.
@Suite("CMYK JPEG")
struct CMYKJPEGTests {
    @Test(arguments: [true, false])
    func barcodeIsReadFromACMYKJPEG(adobe: Bool) throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let sample = try PhotoFixtures.grey(try PeerData.bytes("barcodes/zbar-examples/ean-13.png"))
        let jpeg = PhotoFixtures.cmykJPEG(width: sample.width, height: sample.height, pixels: sample.pixels, adobe: adobe)
        #expect(try BarcodeReader().read(jpeg).map(\.value) == ["9789876543217"])
        // The same grey as the original, give or take the JPEG's loss (inverted, it would be ~255 off).
        let grey = try PhotoDecoder.decode(jpeg, limits: PhotoReadingLimits(), fittingIn: .max, budget: PhotoMemoryBudget()).bytes()
        let difference = zip(grey, sample.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / max(1, grey.count)
        #expect(grey.count == sample.pixels.count && difference < 8)
    }

    @Test func textIsReadFromACMYKJPEG() throws {
        guard PeerData.available("ocr/phototest.tif") else { return }
        let sample = try PhotoFixtures.grey(try PeerData.bytes("ocr/phototest.tif"))
        let jpeg = PhotoFixtures.cmykJPEG(width: sample.width, height: sample.height, pixels: sample.pixels, adobe: true)
        let text = try TextReader().read(jpeg)
        #expect(text.text.contains("12 point text to test"), "\(text.text)")
    }
}

/// A run's two readers share one decode of the photo.
@Suite("Photo copies")
struct PhotoCopiesTests {
    @Test func bothReadersGetTheirCopyFromOneDecode() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let bytes = try PeerData.bytes("barcodes/zbar-examples/ean-13.png")
        let sample = try PhotoFixtures.grey(bytes)
        var limits = PhotoReadingLimits()
        limits.barcodePixels = sample.width * sample.height / 2
        limits.textPixels = sample.width * sample.height / 4
        let budget = PhotoMemoryBudget()
        let copies = PhotoCopies(limits: limits, keepMillis: 60_000, budget: budget)
        let deadline = ContinuousClock.now + .seconds(30)
        let forBarcodes = try copies.copy(for: .barcodes, key: "/photos/a", bytes: bytes, deadline: deadline)
        let forText = try copies.copy(for: .text, key: "/photos/a", bytes: bytes, deadline: deadline)
        #expect(copies.decodes == 1)
        #expect(forBarcodes.width * forBarcodes.height <= limits.barcodePixels)
        #expect(forText.width * forText.height <= limits.textPixels)
        #expect(forBarcodes.width * forBarcodes.height > limits.textPixels)
        #expect(BarcodeReader(limits: limits).read(forBarcodes, deadline: nil).map(\.value) == ["9789876543217"])
        // Another photo (or the same reader again) decodes anew.
        _ = try copies.copy(for: .text, key: "/photos/b", bytes: bytes, deadline: deadline)
        _ = try copies.copy(for: .text, key: "/photos/a", bytes: bytes, deadline: deadline)
        #expect(copies.decodes == 3)
    }

    @Test func theSecondReaderWaitsForTheDecodeUnderWay() throws {
        guard PeerData.available("barcodes/zbar-examples/ean-13.png") else { return }
        let bytes = try PeerData.bytes("barcodes/zbar-examples/ean-13.png")
        let copies = PhotoCopies(limits: PhotoReadingLimits(), keepMillis: 60_000, budget: PhotoMemoryBudget())
        let deadline = ContinuousClock.now + .seconds(30)
        let results = Locked<[Int]>([])
        let group = DispatchGroup()
        for reader in [PhotoCopies.Reader.barcodes, .text] {
            DispatchQueue.global().async(group: group) {
                let width = (try? copies.copy(for: reader, key: "/photos/c", bytes: bytes, deadline: deadline))?.width ?? -1
                results.withLock { $0.append(width) }
            }
        }
        #expect(group.wait(timeout: .now() + 30) == .success)
        #expect(copies.decodes == 1)
        #expect(results.withLock { $0.count == 2 && $0.allSatisfy { $0 > 0 } })
    }
}

/// A value threads share in a test.
final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}
