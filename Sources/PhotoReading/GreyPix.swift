import CLeptonica
import Glibc

/// An 8-bit grey Leptonica image that frees itself. Not Sendable: one reader owns it.
final class GreyPix {
    let pix: UnsafeMutablePointer<PIX>
    /// The photo memory this copy stands for while it is read, given back when it is freed.
    var reservation: PhotoMemoryReservation?

    /// Takes ownership of `pix` (must be 8 bpp without a colour map).
    init(owning pix: UnsafeMutablePointer<PIX>) { self.pix = pix }

    deinit {
        var p: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&p)
    }

    var width: Int { Int(pixGetWidth(pix)) }
    var height: Int { Int(pixGetHeight(pix)) }
    var pixels: Int { width * height }

    /// The pixels row by row, one byte each (what ZBar's `Y800` format is).
    func bytes() -> [UInt8] {
        let w = width, h = height, wpl = Int(pixGetWpl(pix))
        guard let data = pixGetData(pix), w > 0, h > 0 else { return [] }
        // Leptonica keeps bytes in host-endian words: swapped once to memory order, copied by
        // rows, swapped back (no-ops on big-endian hosts).
        pixEndianByteSwap(pix)
        defer { pixEndianByteSwap(pix) }
        var out = [UInt8](repeating: 0, count: w * h)
        out.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for y in 0..<h { memcpy(base + y * w, UnsafeRawPointer(data + y * wpl), w) }
        }
        return out
    }

    /// A copy scaled by `factor` (smooth when shrinking, linear when growing), nil on failure.
    func scaled(_ factor: Double) -> GreyPix? {
        guard let out = pixScale(pix, Float(factor), Float(factor)) else { return nil }
        return GreyPix.normalizing(out)
    }

    /// An exact copy, nil on failure.
    func copied() -> GreyPix? {
        guard let out = pixCopy(nil, pix) else { return nil }
        return GreyPix(owning: out)
    }

    /// A copy rotated by `degrees` about its centre, the corners filled white and the canvas
    /// grown so nothing is cut off.
    func rotated(degrees: Double) -> GreyPix? {
        let radians = Float(degrees * .pi / 180)
        guard let out = pixRotate(pix, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0) else {
            return nil
        }
        return GreyPix.normalizing(out)
    }

    /// A copy at least 64 pixels tall and wide when the image is a thin strip (a cropped
    /// barcode, a one-row scan): ZBar needs a few rows and columns to scan. nil when not thin.
    func stretchedIfThin() -> GreyPix? {
        guard width > 0, height > 0, width < 32 || height < 32 else { return nil }
        let sx = width < 64 ? 64 / Float(width) : 1, sy = height < 64 ? 64 / Float(height) : 1
        guard let out = pixScale(pix, sx, sy) else { return nil }
        return GreyPix.normalizing(out)
    }

    /// A copy turned by 180° (exact, no resampling), nil on failure.
    func turnedUpsideDown() -> GreyPix? {
        guard let out = pixRotateOrth(pix, 2) else { return nil }
        return GreyPix.normalizing(out)
    }

    /// A copy with sharpened edges (unsharp mask), for a slightly blurred photo; nil on failure.
    func sharpened() -> GreyPix? {
        guard let out = pixUnsharpMaskingGray(pix, 3, 0.7) else { return nil }
        return GreyPix.normalizing(out)
    }

    /// A copy with local contrast evened out (shadows, glare and low-contrast print on a phone
    /// photo), nil on failure.
    func contrastNormalized() -> GreyPix? {
        guard width >= 100, height >= 100,
              let out = pixContrastNorm(nil, pix, 50, 50, 40, 2, 2) else { return nil }
        return GreyPix.normalizing(out)
    }

    /// Takes ownership of any Leptonica image and makes it 8-bit grey.
    static func normalizing(_ any: UnsafeMutablePointer<PIX>) -> GreyPix? {
        if pixGetDepth(any) == 8 && pixGetColormap(any) == nil { return GreyPix(owning: any) }
        var source: UnsafeMutablePointer<PIX>? = any
        defer { pixDestroy(&source) }
        // Colour goes to grey by luminance; 1-bit and paletted images are expanded.
        guard let grey = pixConvertTo8(any, 0) else { return nil }
        if pixGetColormap(grey) != nil {
            var paletted: UnsafeMutablePointer<PIX>? = grey
            defer { pixDestroy(&paletted) }
            guard let plain = pixRemoveColormap(grey, Int32(REMOVE_CMAP_TO_GRAYSCALE)) else { return nil }
            return normalizing(plain)
        }
        return GreyPix(owning: grey)
    }
}
