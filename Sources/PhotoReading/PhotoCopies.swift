import Dispatch
import Synchronization

/// One decode per photo for a run's two readers (`barcodes` and `photo-text` run side by
/// side): whichever asks first decodes at the larger of their sizes, keeps its own copy and
/// leaves the other's (scaled down for text); the second takes it, waiting if the decode is
/// under way. A copy nobody comes for is dropped after `keepMillis`.
public final class PhotoCopies: Sendable {
    public enum Reader: Sendable { case barcodes, text }

    public let limits: PhotoReadingLimits
    let budget: PhotoMemoryBudget
    let keepMillis: Int

    private final class Entry: Sendable {
        let created = ContinuousClock.now
        let ready = DispatchSemaphore(value: 0)
        /// The copy left for the other reader, or why the decode failed; nil while decoding.
        let outcome = Mutex<Result<DecodedPhoto?, PhotoReadingError>?>(nil)
        /// The reader that decoded.
        let decoder: Reader

        init(decoder: Reader) { self.decoder = decoder }
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let decodeCount = Mutex(0)

    public init(limits: PhotoReadingLimits, keepMillis: Int, budget: PhotoMemoryBudget = .shared) {
        self.limits = limits
        self.keepMillis = keepMillis
        self.budget = budget
    }

    /// Decodes done so far (one per photo when both readers ask).
    public var decodes: Int { decodeCount.withLock { $0 } }

    /// `reader`'s copy of the photo `key` names (its path), decoding `bytes` if the other
    /// reader has not. Waits for the memory budget (and for the other's decode) until `deadline`.
    public func copy(for reader: Reader, key: String, bytes: [UInt8], deadline: ContinuousClock.Instant) throws(PhotoReadingError)
        -> DecodedPhoto
    {
        let (entry, decodes) = entries.withLock { entries -> (Entry, Bool) in
            let now = ContinuousClock.now
            entries = entries.filter { now - $0.value.created < .milliseconds(keepMillis) }
            if let entry = entries[key], entry.decoder != reader {
                entries[key] = nil
                return (entry, false)
            }
            let entry = Entry(decoder: reader)
            entries[key] = entry
            return (entry, true)
        }
        if decodes { return try decode(for: reader, entry: entry, deadline: deadline, bytes: bytes) }
        if entry.outcome.withLock({ $0 }) == nil {
            let left = ContinuousClock.now.duration(to: deadline).components
            _ = entry.ready.wait(timeout: .now() + .milliseconds(Int(max(0, min(left.seconds, 86_400) * 1000))))
        }
        switch entry.outcome.withLock({ $0.take() }) {
        case .success(let copy?): return copy
        case .failure(let error): throw error
        // Not decoded in time, or already taken: this reader decodes alone.
        case .success(nil), nil: return try own(for: reader, deadline: deadline, bytes: bytes)
        }
    }

    private func decode(for reader: Reader, entry: Entry, deadline: ContinuousClock.Instant, bytes: [UInt8]) throws(PhotoReadingError)
        -> DecodedPhoto
    {
        do throws(PhotoReadingError) {
            decodeCount.withLock { $0 += 1 }
            let grey = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: max(limits.barcodePixels, limits.textPixels),
                                               budget: budget, deadline: budgetDeadline(deadline))
            let barcodes = try fitted(grey, limits.barcodePixels)
            let text = try fitted(grey, limits.textPixels, copy: barcodes === grey)
            // Both copies stand for the one reservation, given back when the last is freed.
            barcodes.reservation = grey.reservation
            text.reservation = grey.reservation
            let (mine, theirs) = reader == .barcodes ? (barcodes, text) : (text, barcodes)
            entry.outcome.withLock { $0 = .success(DecodedPhoto(theirs)) }
            entry.ready.signal()
            return DecodedPhoto(mine)
        } catch {
            entry.outcome.withLock { $0 = .failure(error) }
            entry.ready.signal()
            throw error
        }
    }

    private func own(for reader: Reader, deadline: ContinuousClock.Instant, bytes: [UInt8]) throws(PhotoReadingError) -> DecodedPhoto
    {
        decodeCount.withLock { $0 += 1 }
        let pixels = reader == .barcodes ? limits.barcodePixels : limits.textPixels
        return DecodedPhoto(try PhotoDecoder.decode(bytes, limits: limits, fittingIn: pixels, budget: budget, deadline: budgetDeadline(deadline)))
    }

    /// The memory budget is waited for until the stage's deadline or the limits' wait, whichever comes first.
    private func budgetDeadline(_ deadline: ContinuousClock.Instant) -> ContinuousClock.Instant {
        min(deadline, .now + .milliseconds(limits.memoryWaitMillis))
    }

    /// `grey` scaled to at most `pixels`; a copy of the same size when `copy` (each reader owns its own).
    private func fitted(_ grey: GreyPix, _ pixels: Int, copy: Bool = false) throws(PhotoReadingError) -> GreyPix {
        guard grey.pixels > pixels || copy else { return grey }
        let factor = min(1, (Double(pixels) / Double(grey.pixels)).squareRoot())
        guard let smaller = factor < 1 ? grey.scaled(factor) : grey.copied() else {
            throw .unreadable("the image could not be scaled to \(pixels) pixels")
        }
        return smaller
    }
}

/// A decoded photo handed to the one reader that reads it.
public final class DecodedPhoto: @unchecked Sendable {
    // Unchecked: a Leptonica image handed whole from the decoding thread to one reader, never shared.
    let grey: GreyPix

    init(_ grey: GreyPix) { self.grey = grey }

    public var width: Int { grey.width }
    public var height: Int { grey.height }
}

extension BarcodeReader {
    /// The barcodes in a photo decoded by `PhotoCopies`.
    public func read(_ photo: DecodedPhoto, deadline: ContinuousClock.Instant?) -> [Barcode] {
        read(photo.grey, deadline: deadline)
    }
}

extension TextReader {
    /// The text of a photo decoded by `PhotoCopies`.
    public func read(_ photo: DecodedPhoto, language: String?, timeoutMillis: Int) throws(PhotoReadingError) -> PhotoText {
        try read(photo.grey, language: language, timeoutMillis: timeoutMillis)
    }
}
