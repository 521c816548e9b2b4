import CLeptonica
import CTesseract
import Glibc

/// Reads printed text from a photo with Tesseract (LSTM engine, automatic page layout): words
/// with their confidences, grouped in lines. Capped in time (Tesseract's own deadline, so a
/// busy page stops with what it has) and in size (`maxTextCharacters`).
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
        if best.unsure >= best.words.count && best.unsure + best.words.count >= TextReader.someWords && !best.truncated,
           let turned = grey.turnedUpsideDown() {
            let other = try recognize(api, turned, until: deadline)
            if other.words.count > best.words.count { best = other }
        }
        return PhotoText(lines: best.lines, words: best.words, language: language, truncated: best.truncated)
    }

    /// What one recognition gave: the kept words in lines, and how many were left out as unsure.
    typealias Reading = (lines: [String], words: [PhotoText.Word], truncated: Bool, unsure: Int)

    /// Words a reading must have before it may be judged upside down.
    static let someWords = 6

    private func recognize(_ api: OpaquePointer, _ grey: GreyPix, until deadline: ContinuousClock.Instant) throws(PhotoReadingError)
        -> Reading
    {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return ([], [], true, 0) }
        let millis = Int(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000)
        TessBaseAPISetImage2(api, grey.pix)
        // Photos carry no resolution; 300 ppi is what Tesseract's models are tuned to.
        TessBaseAPISetSourceResolution(api, 300)
        guard let monitor = TessMonitorCreate() else {
            throw PhotoReadingError(code: "text_reader_unavailable", message: "Tesseract could not be started")
        }
        defer { TessMonitorDelete(monitor) }
        TessMonitorSetDeadlineMSecs(monitor, Int32(clamping: max(1, millis)))
        let status = TessBaseAPIRecognize(api, monitor)
        let outOfTime = ContinuousClock.now >= deadline
        guard status == 0 || outOfTime else { return ([], [], false, 0) }
        var collected = collect(api)
        collected.truncated = collected.truncated || outOfTime
        return collected
    }

    /// Walks the recognised words in reading order, keeping those at or above the confidence
    /// floor, until the size cap.
    private func collect(_ api: OpaquePointer) -> Reading {
        var lines: [String] = []
        var words: [PhotoText.Word] = []
        var characters = 0
        var unsure = 0
        guard let iterator = TessBaseAPIGetIterator(api) else { return ([], [], false, 0) }
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
                return (lines, words, true, unsure)
            }
            characters += word.count + 1
            words.append(PhotoText.Word(text: word, confidence: (confidence * 10).rounded() / 10, line: lines.count))
            current.append(word)
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        endLine()
        return (lines, words, false, unsure)
    }
}
