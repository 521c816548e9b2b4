/// How the two decoders' reads of one image become one answer.
///
/// ZBar and ZXing read the same image. A code both read alike (the same GTIN) is kept, read by
/// both. A code only one of them read is kept when its check digit is valid (`Barcode` verifies
/// it) and the other decoder read nothing contradicting it. A contradiction is a different GTIN
/// read by the other decoder in the same place (overlapping boxes): one printed symbol read as two
/// numbers. Then the weaker read is dropped: the one of the shorter symbology (UPC-E and EAN-8
/// carry 6 and 7 data digits against 11 and 12, and a short symbology is what a decoder finds
/// inside part of a long one — ZBar reads some UPC-A photos as a UPC-E), and both when they are
/// of the same length, since neither then outweighs the other and a wrong number is worse than none.
enum BarcodeAgreement {
    /// An axis-aligned box in image pixels around where a decoder found a symbol.
    struct Box: Equatable {
        var left, top, right, bottom: Int

        /// Whether two boxes, each grown by a quarter of its longer side (a linear barcode's
        /// box is often a single scan line), share any pixel.
        func overlaps(_ other: Box) -> Bool {
            let a = grown, b = other.grown
            return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom
        }

        private var grown: Box {
            let margin = max(right - left, bottom - top, 4) / 4
            return Box(left: left - margin, top: top - margin, right: right + margin, bottom: bottom + margin)
        }
    }

    /// One decoder's read of one symbol, and where.
    struct Sighting {
        let barcode: Barcode
        let box: Box
    }

    /// Digits a symbology encodes: the weight of its read in a contradiction.
    static func strength(_ symbology: Barcode.Symbology) -> Int {
        switch symbology {
        case .ean13: 13
        case .upcA: 12
        case .ean8, .upcE: 8
        }
    }

    /// The barcodes kept from ZBar's and ZXing's reads of the same image, each saying who read it;
    /// ZBar's reads first, in its order, then ZXing's own.
    static func combine(zbar: [Sighting], zxing: [Sighting]) -> [Barcode] {
        var kept: [Barcode] = []
        func keep(_ sighting: Sighting, against others: [Sighting]) {
            let agreed = others.contains { $0.barcode.gtin == sighting.barcode.gtin }
            let contradicted = others.contains { other in
                other.barcode.gtin != sighting.barcode.gtin && other.box.overlaps(sighting.box)
                    && strength(other.barcode.symbology) >= strength(sighting.barcode.symbology)
            }
            guard agreed || !contradicted else { return }
            let decoders = sighting.barcode.decoders + (agreed ? others.first { $0.barcode.gtin == sighting.barcode.gtin }?.barcode.decoders ?? [] : [])
            if let index = kept.firstIndex(where: { $0.gtin == sighting.barcode.gtin }) {
                kept[index] = kept[index].read(by: kept[index].decoders + decoders)
            } else {
                kept.append(sighting.barcode.read(by: decoders))
            }
        }
        for sighting in zbar { keep(sighting, against: zxing) }
        for sighting in zxing { keep(sighting, against: zbar) }
        return kept
    }
}
