/// The printed text read from a photo.
public struct PhotoText: Sendable, Equatable {
    public struct Word: Sendable, Equatable {
        public let text: String
        /// 0–100, Tesseract's own measure.
        public let confidence: Double
        /// Which line (index into `lines`) the word is on.
        public let line: Int

        public init(text: String, confidence: Double, line: Int) {
            self.text = text
            self.confidence = confidence
            self.line = line
        }
    }

    /// The lines, top to bottom, each its words joined by a space.
    public let lines: [String]
    public let words: [Word]
    /// The Tesseract language data used (`eng`, `deu+eng`).
    public let language: String
    /// What ended the reading early, nil when it was read to the end.
    public enum Truncation: String, Sendable, Equatable {
        /// `maxTextCharacters`: the text reported was cut at the size cap.
        case characters
        /// `maxTextLines`: Tesseract stopped recognising after that many text lines (in page order).
        case lines
        /// The time limit, a safety net only: what is read then depends on the machine's load.
        case time
    }

    /// What ended the reading early (nil: nothing did). The line and character caps cut the same
    /// photo at the same place every time; only `time` depends on load.
    public let truncatedBy: Truncation?

    /// Whether anything ended the reading early.
    public var truncated: Bool { truncatedBy != nil }

    /// The lines joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    public init(lines: [String], words: [Word], language: String, truncatedBy: Truncation? = nil) {
        self.lines = lines
        self.words = words
        self.language = language
        self.truncatedBy = truncatedBy
    }
}
