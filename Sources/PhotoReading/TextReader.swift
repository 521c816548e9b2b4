import CLeptonica
import CTesseract
import Glibc

/// Reads printed text from a photo with Tesseract (LSTM engine, automatic page layout): words
/// with their confidences, grouped in lines. The work is bounded by what is read, so the same
/// photo gives the same text on an idle and on a loaded machine: the pixels (`textPixels`),
/// the text lines Tesseract recognises (`maxTextLines`, counted in page order as it goes) and the
/// characters reported (`maxTextCharacters`). The time limit stays as a safety net only; when it
/// ends a reading, `truncatedBy` says `time`.
public struct TextReader: Sendable {
    public let limits: PhotoReadingLimits
    /// Tesseract data directory; nil: `TesseractLanguages.directory`.
    public let dataDirectory: String?

    public init(limits: PhotoReadingLimits = PhotoReadingLimits(), dataDirectory: String? = nil) {
        self.limits = limits
        self.dataDirectory = dataDirectory
    }

    /// Tesseract starts an OpenMP team per recognition unless told otherwise; the worker pool
    /// is the concurrency limit here, so one thread per reading (an operator's own
    /// `OMP_THREAD_LIMIT` wins).
    private static let oneThread: Void = { setenv("OMP_THREAD_LIMIT", "1", 0) }()

    /// The text in an image file's bytes, read with `language` (a BCP 47 tag or Tesseract code;
    /// nil: English). Throws for an unreadable image or missing language data.
    public func read(_ bytes: [UInt8], language: String? = nil, timeoutMillis: Int? = nil) throws(PhotoReadingError) -> PhotoText {
        let grey = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: limits.textPixels)
        return try read(grey, language: language, timeoutMillis: timeoutMillis ?? limits.textTimeoutMillis)
    }

    func read(_ grey: GreyPix, language requested: String?, timeoutMillis: Int) throws(PhotoReadingError) -> PhotoText {
        _ = TextReader.oneThread
        let directory = dataDirectory ?? TesseractLanguages.directory
        let language = TesseractLanguages.choose(for: requested, installed: TesseractLanguages.installed(in: directory))
        guard let api = TessBaseAPICreate() else {
            throw PhotoReadingError(code: "text_reader_unavailable", message: "Tesseract could not be started")
        }
        defer { TessBaseAPIDelete(api) }
        // Tesseract wants the directory that holds the .traineddata files.
        guard TessBaseAPIInit3(api, directory, language) == 0 else {
            throw PhotoReadingError(code: "text_reader_unavailable",
                                    message: "Tesseract's \(language) language data is not installed (tesseract-ocr-eng)")
        }
        // Tesseract's own complaints ("Image too small to scale!!") would go to the server's stderr.
        _ = TessBaseAPISetVariable(api, "debug_file", "/dev/null")
        TessBaseAPISetPageSegMode(api, PSM_AUTO)
        let deadline = ContinuousClock.now + .milliseconds(timeoutMillis)
        var best = try recognize(api, grey, until: deadline)
        // Text upside down reads as words Tesseract is mostly unsure of (a photo without text gives
        // few words at all): then the photo is read turned, and the reading with more sure words kept.
        if best.unsure >= best.words.count && best.unsure + best.words.count >= TextReader.someWords && best.truncatedBy == nil,
           let turned = grey.turnedUpsideDown() {
            let other = try recognize(api, turned, until: deadline)
            if other.words.count > best.words.count { best = other }
        }
        return PhotoText(lines: best.lines, words: best.words, language: language, truncatedBy: best.truncatedBy)
    }

    /// What one recognition gave: the kept words in lines, what cut it, and how many words were
    /// left out as unsure.
    typealias Reading = (lines: [String], words: [PhotoText.Word], truncatedBy: PhotoText.Truncation?, unsure: Int)

    /// Words a reading must have before it may be judged upside down.
    static let someWords = 6

    /// Counts what Tesseract recognises in its first pass and stops it after `limit`: its cancel
    /// callback runs once before each unit it recognises, in page order — with the LSTM engine a
    /// whole text line — so the cut falls on the same line on every run. Lives on the calling
    /// thread for one `recognize` call.
    private final class LineBudget {
        let limit: Int
        let monitor: OpaquePointer
        var started = 0
        var exhausted = false

        init(limit: Int, monitor: OpaquePointer) {
            self.limit = limit
            self.monitor = monitor
        }

        /// Tesseract's cancel callback. Progress below 70 is its first pass (a second, which only
        /// the legacy engine runs, reports 70–100 and re-reads what was already counted).
        static func shouldCancel(_ context: UnsafeMutableRawPointer?) -> Bool {
            guard let context else { return false }
            let budget = Unmanaged<LineBudget>.fromOpaque(context).takeUnretainedValue()
            guard TessMonitorGetProgress(budget.monitor) < 70 else { return budget.exhausted }
            budget.started += 1
            if budget.started > budget.limit { budget.exhausted = true }
            return budget.exhausted
        }
    }

    private func recognize(_ api: OpaquePointer, _ grey: GreyPix, until deadline: ContinuousClock.Instant) throws(PhotoReadingError)
        -> Reading
    {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return ([], [], .time, 0) }
        let millis = Int(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000)
        TessBaseAPISetImage2(api, grey.pix)
        // Photos carry no resolution; 300 ppi is what Tesseract's models are tuned to.
        TessBaseAPISetSourceResolution(api, 300)
        guard let monitor = TessMonitorCreate() else {
            throw PhotoReadingError(code: "text_reader_unavailable", message: "Tesseract could not be started")
        }
        defer { TessMonitorDelete(monitor) }
        let budget = LineBudget(limit: limits.maxTextLines, monitor: monitor)
        let status = withExtendedLifetime(budget) { () -> Int32 in
            TessMonitorSetCancelThis(monitor, Unmanaged.passUnretained(budget).toOpaque())
            TessMonitorSetCancelFunc(monitor) { context, _ in LineBudget.shouldCancel(context) }
            // The safety net: Tesseract's own deadline, checked before each line like the budget.
            TessMonitorSetDeadlineMSecs(monitor, Int32(clamping: max(1, millis)))
            return TessBaseAPIRecognize(api, monitor)
        }
        // Tesseract returns non-zero when the budget or the deadline stopped it (or it failed).
        let outOfTime = status != 0 && !budget.exhausted && ContinuousClock.now >= deadline
        guard status == 0 || outOfTime || budget.exhausted else { return ([], [], nil, 0) }
        var collected = collect(api)
        if outOfTime {
            collected.truncatedBy = .time
        } else if budget.exhausted {
            collected.truncatedBy = .lines
        }
        return collected
    }

    /// Walks the recognised words in reading order, keeping those at or above the confidence
    /// floor, until the size cap.
    private func collect(_ api: OpaquePointer) -> Reading {
        var lines: [String] = []
        var words: [PhotoText.Word] = []
        var characters = 0
        var unsure = 0
        guard let iterator = TessBaseAPIGetIterator(api) else { return ([], [], nil, 0) }
        defer { TessResultIteratorDelete(iterator) }
        let page = TessResultIteratorGetPageIterator(iterator)
        var current: [String] = []
        func endLine() {
            if !current.isEmpty { lines.append(current.joined(separator: " ")) }
            current = []
        }
        repeat {
            if let page, TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0 { endLine() }
            guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let word = String(cString: raw)
            TessDeleteText(raw)
            let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD))
            // A word without a letter or digit is a bar, a border or a smudge read as `|` or `—`.
            guard word.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
            guard confidence >= Double(limits.minWordConfidence) else {
                unsure += 1
                continue
            }
            if characters + word.count + 1 > limits.maxTextCharacters {
                endLine()
                return (lines, words, .characters, unsure)
            }
            characters += word.count + 1
            words.append(PhotoText.Word(text: word, confidence: (confidence * 10).rounded() / 10, line: lines.count))
            current.append(word)
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        endLine()
        return (lines, words, nil, unsure)
    }
}
