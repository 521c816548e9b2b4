import CZXingShim

/// The second barcode decoder: ZXing-C++ through the C shim in `CZXingShim`. Independent of
/// ZBar (its own binarizer, its own row sampling and symbol decoding), so the two rarely misread
/// a symbol the same way; `BarcodeAgreement` weighs one against the other. ZXing reports one
/// symbol per image (the shim says why); ZBar reads every symbol.
enum ZXingScan {
    /// Results the shim may write (it writes one today).
    static let capacity = 4

    /// ZXing's reads of `grey` with where each was found.
    static func scan(_ grey: GreyPix) -> [BarcodeAgreement.Sighting] {
        let pixels = grey.bytes()
        let width = grey.width, height = grey.height
        guard !pixels.isEmpty, width > 0, height > 0, pixels.count >= width * height,
              let w = Int32(exactly: width), let h = Int32(exactly: height) else { return [] }
        var results = [czxing_result](repeating: czxing_result(), count: capacity)
        let count = pixels.withUnsafeBufferPointer { image in
            results.withUnsafeMutableBufferPointer { out in
                czxing_read_retail(image.baseAddress, w, h, w, out.baseAddress, Int32(capacity))
            }
        }
        guard count > 0 else { return [] }
        return results.prefix(Int(count)).compactMap { result in
            let symbology: Barcode.Symbology
            switch result.format {
            case Int32(CZXING_EAN13.rawValue): symbology = .ean13
            case Int32(CZXING_EAN8.rawValue): symbology = .ean8
            case Int32(CZXING_UPCA.rawValue): symbology = .upcA
            case Int32(CZXING_UPCE.rawValue): symbology = .upcE
            default: return nil
            }
            let text = withUnsafeBytes(of: result.text) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let barcode = Barcode(symbology: symbology, value: text, decoders: [.zxing]) else { return nil }
            let box = BarcodeAgreement.Box(left: Int(result.left), top: Int(result.top), right: Int(result.right), bottom: Int(result.bottom))
            return BarcodeAgreement.Sighting(barcode: barcode, box: box)
        }
    }
}
