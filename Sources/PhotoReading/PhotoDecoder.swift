import CLeptonica

/// Decodes an image file's bytes (PNG, JPEG, WebP; TIFF for scanned pages) to 8-bit grey with
/// Leptonica, within the pixel limit. A large JPEG is decoded at 1/2, 1/4 or 1/8 of its size
/// straight from the file (libjpeg's DCT scaling), so a 40-megapixel photo never exists in
/// memory at full size when a smaller copy is all a reader asked for.
enum PhotoDecoder {
    /// Leptonica prints its own complaints to stderr; bad input is reported as an error here.
    private static let quiet: Void = { _ = setMsgSeverity(Int32(L_SEVERITY_NONE)) }()

    /// The width and height the file declares, or an error when it is not an image.
    static func size(_ bytes: [UInt8]) throws(PhotoReadingError) -> (width: Int, height: Int, format: Int32) {
        _ = quiet
        var format: Int32 = 0, w: Int32 = 0, h: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0, cmap: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress, buffer.count > 12 else { return 1 }
            return pixReadHeaderMem(base, buffer.count, &format, &w, &h, &bps, &spp, &cmap)
        }
        guard status == 0, w > 0, h > 0 else {
            throw .unreadable("the file is not a PNG, JPEG, WebP or TIFF image that can be decoded")
        }
        return (Int(w), Int(h), format)
    }

    /// Grey pixels of at most about `targetPixels` where the format allows decoding smaller
    /// (JPEG); other formats are decoded whole and the caller scales.
    static func decode(_ bytes: [UInt8], limits: PhotoReadingLimits, targetPixels: Int) throws(PhotoReadingError) -> GreyPix {
        let (width, height, format) = try size(bytes)
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= limits.maxPixels else {
            throw PhotoReadingError(code: "too_many_pixels",
                                    message: "the image is \(width) × \(height) pixels, more than the limit of \(limits.maxPixels)")
        }
        var reduction: Int32 = 1
        if format == Int32(IFF_JFIF_JPEG) {
            while reduction < 8 && pixels / Int(reduction * reduction * 4) >= targetPixels { reduction *= 2 }
        }
        let decoded = bytes.withUnsafeBufferPointer { buffer -> UnsafeMutablePointer<PIX>? in
            guard let base = buffer.baseAddress else { return nil }
            if format == Int32(IFF_JFIF_JPEG) {
                // cmflag 0: no colour map; hint 0. Luminance only: grey straight from the JPEG.
                return pixReadMemJpeg(base, buffer.count, 0, reduction, nil, Int32(L_JPEG_READ_LUMINANCE))
            }
            return pixReadMem(base, buffer.count)
        }
        guard let decoded, let grey = GreyPix.normalizing(decoded) else {
            throw .unreadable("the image's data is damaged or in a form that cannot be decoded")
        }
        return grey
    }

    /// `decode`, then scaled down to at most `targetPixels`.
    static func decode(_ bytes: [UInt8], limits: PhotoReadingLimits, fittingIn targetPixels: Int) throws(PhotoReadingError) -> GreyPix {
        let grey = try decode(bytes, limits: limits, targetPixels: targetPixels)
        guard grey.pixels > targetPixels else { return grey }
        let factor = (Double(targetPixels) / Double(grey.pixels)).squareRoot()
        guard let smaller = grey.scaled(factor) else {
            throw .unreadable("the image could not be scaled to \(targetPixels) pixels")
        }
        return smaller
    }
}
