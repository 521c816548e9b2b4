import CZBar
import Glibc

/// Finds EAN-13, EAN-8, UPC-A and UPC-E barcodes (ISBNs are EAN-13s) in a photo with ZBar.
/// ZBar scans every row and column; when that finds nothing, the usual retries a phone photo
/// needs follow, each only while time is left: evened-out contrast (shadow, glare), a smaller
/// copy (blur, noise, a barcode filling the frame), a larger one (a small, distant barcode) and
/// turns of ±30° and 45° (a tilted box). A retry sees a photo ZBar could not read as it is, where
/// a misread is likelier (on zxing-cpp's sample 37 the contrast pass reads a wrong EAN-13 whose
/// check digit happens to fit): a value from the retries counts once two passes agree on it.
/// Every value's check digit is verified again here; a value that fails is dropped.
public struct BarcodeReader: Sendable {
    public let limits: PhotoReadingLimits

    public init(limits: PhotoReadingLimits = PhotoReadingLimits()) { self.limits = limits }

    /// The barcodes in an image file's bytes, first found first; an unreadable image throws.
    public func read(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) throws(PhotoReadingError) -> [Barcode] {
        let grey = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: limits.barcodePixels)
        return read(grey, deadline: deadline)
    }

    /// Largest copy the turned passes rotate.
    static let turnPixels = 4_000_000

    /// The passes, in order; the first that finds anything ends the search.
    enum Pass: CaseIterable {
        case plain, contrast, half, double, turnLeft, turnRight, diagonal
    }

    func read(_ photo: GreyPix, deadline: ContinuousClock.Instant?) -> [Barcode] {
        let grey = photo.stretchedIfThin() ?? photo
        // Turning a 12-megapixel photo three times costs more than the rest together; a tilted
        // barcode large enough to matter survives a copy of a third of the size.
        var forTurns: GreyPix?
        var seen: [Barcode: Int] = [:]
        for pass in Pass.allCases {
            if let deadline, ContinuousClock.now >= deadline { break }
            var source = grey
            if [.turnLeft, .turnRight, .diagonal].contains(pass) && grey.pixels > BarcodeReader.turnPixels {
                if forTurns == nil { forTurns = grey.scaled((Double(BarcodeReader.turnPixels) / Double(grey.pixels)).squareRoot()) }
                source = forTurns ?? grey
            }
            guard let image = variant(of: source, for: pass) else { continue }
            let found = scan(image)
            if pass == .plain && !found.isEmpty { return found }
            for barcode in found { seen[barcode, default: 0] += 1 }
            let agreed = found.filter { seen[$0, default: 0] >= 2 }
            if !agreed.isEmpty { return agreed }
        }
        return []
    }

    private func variant(of grey: GreyPix, for pass: Pass) -> GreyPix? {
        switch pass {
        case .plain: return grey
        case .contrast: return grey.contrastNormalized()
        case .half: return grey.pixels >= 200_000 ? grey.scaled(0.5) : nil
        // Growing only small images: a large one already has pixels enough per bar.
        case .double: return grey.pixels <= limits.barcodePixels / 4 ? grey.scaled(2) : nil
        case .turnLeft: return grey.rotated(degrees: 30)
        case .turnRight: return grey.rotated(degrees: -30)
        case .diagonal: return grey.rotated(degrees: 45)
        }
    }

    /// One ZBar scan of a grey image: the retail symbologies only.
    func scan(_ grey: GreyPix) -> [Barcode] {
        let pixels = grey.bytes()
        guard !pixels.isEmpty, let scanner = zbar_image_scanner_create() else { return [] }
        defer { zbar_image_scanner_destroy(scanner) }
        // Everything off, then the four retail symbologies on (ISBN-13 stays an EAN-13).
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        for symbology in [ZBAR_EAN13, ZBAR_EAN8, ZBAR_UPCA, ZBAR_UPCE] {
            zbar_image_scanner_set_config(scanner, symbology, ZBAR_CFG_ENABLE, 1)
        }
        guard let image = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(image) }
        zbar_image_set_format(image, czbar_format_y800)
        zbar_image_set_size(image, UInt32(grey.width), UInt32(grey.height))
        var found: [Barcode] = []
        pixels.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            // No cleanup handler: the bytes belong to Swift and outlive the scan.
            zbar_image_set_data(image, base, UInt(raw.count), nil)
            guard zbar_scan_image(scanner, image) > 0 else { return }
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                if let barcode = BarcodeReader.barcode(current), !found.contains(barcode) { found.append(barcode) }
                symbol = zbar_symbol_next(current)
            }
            zbar_image_set_data(image, nil, 0, nil)
        }
        return found
    }

    private static func barcode(_ symbol: OpaquePointer) -> Barcode? {
        let symbology: Barcode.Symbology
        switch zbar_symbol_get_type(symbol) {
        case ZBAR_EAN13: symbology = .ean13
        case ZBAR_EAN8: symbology = .ean8
        case ZBAR_UPCA: symbology = .upcA
        case ZBAR_UPCE: symbology = .upcE
        default: return nil
        }
        guard let data = zbar_symbol_get_data(symbol) else { return nil }
        return Barcode(symbology: symbology, value: String(cString: data))
    }
}
