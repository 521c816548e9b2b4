import CZBar
import Glibc

/// Finds EAN-13, EAN-8, UPC-A and UPC-E barcodes (ISBNs are EAN-13s) in a photo with two
/// independent decoders, ZBar and ZXing-C++, each reading the same image; `BarcodeAgreement`
/// keeps what they agree on or what one reads without the other contradicting it, so one
/// decoder's misread (ZBar's UPC-E inside a UPC-A) is vetoed by the other.
/// Both scan the photo as it is; what they read there is the answer. When that finds nothing,
/// the usual retries a phone photo needs follow, a fixed list: evened-out contrast (shadow,
/// glare), sharpened edges (blur), smaller copies (noise, a barcode filling the frame), larger
/// ones (a small, distant barcode) and turns of ±10°, ±30° and 45° (a tilted box).
/// A photo neither can read as it is invites misreads (on zxing-cpp's sample 37 ZBar's retries
/// read two different wrong EAN-13s whose check digits happen to fit), so a retry's value counts
/// only when it was read twice (two passes, or both decoders in one) and no pass read the same
/// symbol differently (another value of the symbology sharing its left or its right half).
/// Check digits are verified again here.
public struct BarcodeReader: Sendable {
    public let limits: PhotoReadingLimits

    public init(limits: PhotoReadingLimits = PhotoReadingLimits()) { self.limits = limits }

    /// The barcodes in an image file's bytes, first found first; an unreadable image throws.
    public func read(_ bytes: [UInt8], deadline: ContinuousClock.Instant? = nil) throws(PhotoReadingError) -> [Barcode] {
        let grey = try PhotoDecoder.decode(bytes, limits: limits, fittingIn: limits.barcodePixels)
        return read(grey, deadline: deadline)
    }

    /// Largest copy the turned passes rotate: turning a 12-megapixel photo costs more than every
    /// other pass together, and a tilted barcode large enough to matter survives a third of the size.
    static let turnPixels = 4_000_000

    /// The retry passes, in order.
    enum Pass: CaseIterable {
        case contrast, sharpened, half, threeQuarters, double, oneAndHalf, turn10, turnBack10, turn30, turnBack30, diagonal

        var isTurn: Bool { [.turn10, .turnBack10, .turn30, .turnBack30, .diagonal].contains(self) }
    }

    func read(_ photo: GreyPix, deadline: ContinuousClock.Instant?) -> [Barcode] {
        let grey = photo.stretchedIfThin() ?? photo
        let plain = scan(grey)
        if !plain.isEmpty { return plain }
        var forTurns: GreyPix?
        // Keyed by the barcode without its decoders: counts of reads, and who read it.
        var seen: [Barcode: Int] = [:]
        var readers: [Barcode: [Barcode.Decoder]] = [:]
        var order: [Barcode] = []
        for pass in Pass.allCases {
            if let deadline, ContinuousClock.now >= deadline { break }
            var source = grey
            if pass.isTurn && grey.pixels > BarcodeReader.turnPixels {
                if forTurns == nil { forTurns = grey.scaled((Double(BarcodeReader.turnPixels) / Double(grey.pixels)).squareRoot()) }
                source = forTurns ?? grey
            }
            guard let image = variant(of: source, for: pass) else { continue }
            for read in scan(image) {
                let barcode = read.read(by: [])
                if seen[barcode] == nil { order.append(barcode) }
                seen[barcode, default: 0] += max(1, read.decoders.count)
                readers[barcode, default: []] += read.decoders
            }
        }
        return order.filter { barcode in
            seen[barcode, default: 0] >= 2 && !order.contains { $0 != barcode && BarcodeReader.sameSymbol($0, barcode) }
        }.map { $0.read(by: readers[$0] ?? []) }
    }

    /// Two reads of one printed symbol: the same symbology with the same left or right half.
    static func sameSymbol(_ a: Barcode, _ b: Barcode) -> Bool {
        guard a.symbology == b.symbology, a.value.count == b.value.count else { return false }
        let left = a.symbology == .ean13 ? 7 : a.value.count / 2
        return a.value.prefix(left) == b.value.prefix(left) || a.value.dropFirst(left) == b.value.dropFirst(left)
    }

    private func variant(of grey: GreyPix, for pass: Pass) -> GreyPix? {
        switch pass {
        case .contrast: return grey.contrastNormalized()
        case .sharpened: return grey.sharpened()
        case .half: return grey.pixels >= 200_000 ? grey.scaled(0.5) : nil
        case .threeQuarters: return grey.scaled(0.75)
        // Growing only smaller images: a large one already has pixels enough per bar.
        case .double: return grey.pixels <= limits.barcodePixels / 4 ? grey.scaled(2) : nil
        case .oneAndHalf: return grey.pixels <= limits.barcodePixels / 2 ? grey.scaled(1.5) : nil
        case .turn10: return grey.rotated(degrees: 10)
        case .turnBack10: return grey.rotated(degrees: -10)
        case .turn30: return grey.rotated(degrees: 30)
        case .turnBack30: return grey.rotated(degrees: -30)
        case .diagonal: return grey.rotated(degrees: 45)
        }
    }

    /// Both decoders' reads of one grey image, combined (`BarcodeAgreement`).
    func scan(_ grey: GreyPix) -> [Barcode] {
        BarcodeAgreement.combine(zbar: zbarScan(grey), zxing: ZXingScan.scan(grey))
    }

    /// One ZBar scan of a grey image: the retail symbologies only, each with where it was read.
    func zbarScan(_ grey: GreyPix) -> [BarcodeAgreement.Sighting] {
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
        var found: [BarcodeAgreement.Sighting] = []
        pixels.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            // No cleanup handler: the bytes belong to Swift and outlive the scan.
            zbar_image_set_data(image, base, UInt(raw.count), nil)
            guard zbar_scan_image(scanner, image) > 0 else { return }
            var symbol = zbar_image_first_symbol(image)
            while let current = symbol {
                if let barcode = BarcodeReader.barcode(current), !found.contains(where: { $0.barcode == barcode }) {
                    found.append(BarcodeAgreement.Sighting(barcode: barcode, box: BarcodeReader.box(current)))
                }
                symbol = zbar_symbol_next(current)
            }
            zbar_image_set_data(image, nil, 0, nil)
        }
        return found
    }

    /// The box around the points where ZBar's scan lines crossed the symbol.
    private static func box(_ symbol: OpaquePointer) -> BarcodeAgreement.Box {
        let count = zbar_symbol_get_loc_size(symbol)
        guard count > 0 else { return BarcodeAgreement.Box(left: 0, top: 0, right: Int.max / 4, bottom: Int.max / 4) }
        var box = BarcodeAgreement.Box(left: .max / 4, top: .max / 4, right: 0, bottom: 0)
        for i in 0..<count {
            let x = Int(zbar_symbol_get_loc_x(symbol, i)), y = Int(zbar_symbol_get_loc_y(symbol, i))
            box = BarcodeAgreement.Box(left: min(box.left, x), top: min(box.top, y), right: max(box.right, x), bottom: max(box.bottom, y))
        }
        return box
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
        return Barcode(symbology: symbology, value: String(cString: data), decoders: [.zbar])
    }
}
