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
    /// Whether time or the size cap ended the reading early.
    public let truncated: Bool

    /// The lines joined by newlines.
    public var text: String { lines.joined(separator: "\n") }

    public init(lines: [String], words: [Word], language: String, truncated: Bool) {
        self.lines = lines
        self.words = words
        self.language = language
        self.truncated = truncated
    }
}
