import CLeptonica

/// Decodes an image file's bytes (PNG, JPEG, WebP; TIFF for scanned pages) to 8-bit grey no
/// larger than a reader needs, within the pixel limit and the process's photo memory budget.
/// What a decode costs depends on the format, not on the file's size (a 389 KB PNG or a 4 KB
/// WebP can hold 100 megapixels), so each format is decoded the way that never holds the full
/// image where it can: a JPEG at 1/2, 1/4 or 1/8 straight from the file (libjpeg's DCT
/// scaling), a PNG one row at a time, shrunk as it goes, a WebP through libwebp's scaler. A
/// lossless WebP and a progressive JPEG hold the whole image inside their decoders whatever
/// size is asked for; their estimate says so, and the budget decides.
enum PhotoDecoder {
    /// Leptonica prints its own complaints to stderr; bad input is reported as an error here.
    private static let quiet: Void = { _ = setMsgSeverity(Int32(L_SEVERITY_NONE)) }()

    /// Memory a decoded copy stands for while it is read, per pixel: the copy itself and the
    /// readers' working copies of the same size (evened-out contrast, sharpened, turned;
    /// Tesseract's binarised page).
    static let readingBytesPerPixel = 4

    /// The width and height the file declares, or an error when it is not an image.
    static func readHeader(_ bytes: [UInt8]) throws(PhotoReadingError) -> PhotoHeader {
        _ = quiet
        var format: Int32 = 0, w: Int32 = 0, h: Int32 = 0, bps: Int32 = 0, spp: Int32 = 0, cmap: Int32 = 0
        let status = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress, buffer.count > 12 else { return 1 }
            return pixReadHeaderMem(base, buffer.count, &format, &w, &h, &bps, &spp, &cmap)
        }
        guard status == 0, w > 0, h > 0 else {
            throw .unreadable("the file is not a PNG, JPEG, WebP or TIFF image that can be decoded")
        }
        return PhotoHeader(width: Int(w), height: Int(h), format: format, bitsPerPixel: Int(max(1, bps) * max(1, spp)))
    }

    /// Grey pixels of at most `targetPixels` (an image smaller than that stays its size).
    /// The decode waits for the memory budget until `deadline` (default: the limits' wait).
    static func decode(_ bytes: [UInt8], limits: PhotoReadingLimits, fittingIn targetPixels: Int,
                       budget: PhotoMemoryBudget = .shared, deadline: ContinuousClock.Instant? = nil) throws(PhotoReadingError) -> GreyPix
    {
        let header = try readHeader(bytes)
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixels <= limits.maxPixels else {
            throw PhotoReadingError(code: "too_many_pixels",
                                    message: "the image is \(header.width) × \(header.height) pixels, more than the limit of \(limits.maxPixels)")
        }
        let plan = try DecodePlan(bytes, header, targetPixels: max(1, targetPixels))
        let reservation = try budget.reserve(plan.estimatedBytes, of: limits.memoryBudget,
                                             waitingUntil: deadline ?? .now + .milliseconds(limits.memoryWaitMillis))
        let decoded = try plan.decode(bytes)
        var grey = decoded
        if decoded.pixels > targetPixels {
            let factor = (Double(targetPixels) / Double(decoded.pixels)).squareRoot()
            guard let smaller = decoded.scaled(factor) else {
                throw .unreadable("the image could not be scaled to \(targetPixels) pixels")
            }
            grey = smaller
        }
        // The decoder's buffers are gone; what stays held is the copy being read.
        reservation.shrink(to: grey.pixels * readingBytesPerPixel)
        grey.reservation = reservation
        return grey
    }
}

/// What `pixReadHeaderMem` says of a file.
struct PhotoHeader {
    let width: Int
    let height: Int
    /// Leptonica's `IFF_*` format.
    let format: Int32
    let bitsPerPixel: Int

    var pixels: Int { width * height }

    /// The size of this image scaled to at most `targetPixels`, keeping its shape.
    func fitted(_ targetPixels: Int) -> (width: Int, height: Int) {
        guard pixels > targetPixels else { return (width, height) }
        let factor = (Double(targetPixels) / Double(pixels)).squareRoot()
        return (max(1, min(width, Int(Double(width) * factor))), max(1, min(height, Int(Double(height) * factor))))
    }
}
