/// Both readers over one decoded photo: what `lens-gpt read` prints.
public struct PhotoReader: Sendable {
    public let barcodes: BarcodeReader
    public let text: TextReader

    public init(limits: PhotoReadingLimits = PhotoReadingLimits(), dataDirectory: String? = nil) {
        barcodes = BarcodeReader(limits: limits)
        text = TextReader(limits: limits, dataDirectory: dataDirectory)
    }

    public func read(_ bytes: [UInt8], language: String? = nil) throws(PhotoReadingError) -> (barcodes: [Barcode], text: PhotoText) {
        let limits = barcodes.limits
        // One decode at the larger of the two working sizes; the text reader gets a smaller copy if needed.
        let grey = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: max(limits.barcodePixels, limits.textPixels))
        let found = barcodes.read(grey.pixels > limits.barcodePixels ? fitted(grey, limits.barcodePixels) : grey, deadline: nil)
        let forText = grey.pixels > limits.textPixels ? fitted(grey, limits.textPixels) : grey
        return (found, try text.read(forText, language: language, timeoutMillis: limits.textTimeoutMillis))
    }

    private func fitted(_ grey: GreyPix, _ pixels: Int) -> GreyPix {
        grey.scaled((Double(pixels) / Double(grey.pixels)).squareRoot()) ?? grey
    }
}
