import CJpeg
import CLeptonica
import CPNG
import CWebP

/// How one photo is decoded and what that is estimated to take at most, decided from its
/// header before any pixel is decoded (the memory budget is asked for `estimatedBytes`).
struct DecodePlan {
    enum Method {
        /// Leptonica's JPEG reader, luminance only, at 1/`reduction` of the size.
        case jpeg(reduction: Int32)
        /// CMYK or YCCK (print workflows): libjpeg's CMYK, turned grey here, at 1/`reduction`.
        case cmykJPEG(reduction: Int32, width: Int, height: Int)
        /// Row by row, shrunk to `width` × `height` as it goes.
        case png(width: Int, height: Int)
        /// libwebp's scaled decoding to `width` × `height`.
        case webp(width: Int, height: Int)
        /// Leptonica's reader for the whole image (TIFF and the rest).
        case whole
    }

    let method: Method
    let estimatedBytes: Int

    /// Working memory every decode has besides its pixel buffers (decoder state, zlib's window).
    private static let overhead = 1 << 20

    init(_ bytes: [UInt8], _ header: PhotoHeader, targetPixels: Int) throws(PhotoReadingError) {
        let pixels = header.pixels
        switch header.format {
        case Int32(IFF_JFIF_JPEG):
            var info = lens_jpeg_header()
            let status = bytes.withUnsafeBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return 1 }
                return lens_jpeg_read_header(base, buffer.count, &info)
            }
            guard status == 0 else { throw .unreadable("the JPEG's header is damaged") }
            // The largest of 1/2, 1/4, 1/8 that still leaves at least the pixels asked for.
            var reduction = 1
            while reduction < 8 && pixels / (reduction * reduction * 4) >= targetPixels { reduction *= 2 }
            let reducedWidth = Int(lens_jpeg_scaled_size(UInt32(header.width), Int32(reduction)))
            let reducedHeight = Int(lens_jpeg_scaled_size(UInt32(header.height), Int32(reduction)))
            let reduced = reducedWidth * reducedHeight
            // Progressive (or multi-scan) JPEGs keep every DCT coefficient of the image until the last scan.
            let coefficients = info.multiple_scans != 0 ? Int(info.coefficient_bytes) : 0
            let cmyk = info.colour_space == Int32(JCS_CMYK.rawValue) || info.colour_space == Int32(JCS_YCCK.rawValue)
            // Rows in flight: a few full-width rows of every component.
            let rows = header.width * 16 * max(1, Int(info.components))
            // Leptonica's row buffer and a 32-bit pix are not used for grey: the decoded copy is 8-bit.
            let scaling = reduced > targetPixels ? reduced + targetPixels : 0
            method = cmyk ? .cmykJPEG(reduction: Int32(reduction), width: reducedWidth, height: reducedHeight) : .jpeg(reduction: Int32(reduction))
            estimatedBytes = reduced + scaling + coefficients + rows + DecodePlan.overhead
        case Int32(IFF_PNG):
            let (width, height) = header.fitted(targetPixels)
            let out = (width, height) != (header.width, header.height)
            if DecodePlan.isInterlacedPNG(bytes) && out && height > header.height / 2 {
                // Shrinking an interlaced PNG by less than half: read whole, then scaled.
                method = .png(width: header.width, height: header.height)
                estimatedBytes = pixels + 2 * width * height + header.width * 32 + DecodePlan.overhead
            } else {
                method = .png(width: width, height: height)
                estimatedBytes = width * height + header.width * 32 + DecodePlan.overhead
            }
        case Int32(IFF_WEBP):
            var features = WebPBitstreamFeatures()
            let status = bytes.withUnsafeBufferPointer { buffer -> VP8StatusCode in
                guard let base = buffer.baseAddress else { return VP8_STATUS_NOT_ENOUGH_DATA }
                return WebPGetFeatures(base, buffer.count, &features)
            }
            guard status == VP8_STATUS_OK, features.has_animation == 0 else {
                throw .unreadable("the WebP image is damaged or animated")
            }
            let (width, height) = header.fitted(targetPixels)
            // The scaled copy arrives as 32-bit RGBA and is turned grey (1 byte more a pixel).
            let output = width * height * 5
            // Lossless WebP (format 2) decodes the whole image as 32-bit pixels whatever the
            // output size (its back-references reach anywhere above); lossy keeps a few rows,
            // and a full alpha plane when it has one.
            let inside = features.format == 2 ? pixels * 4 : header.width * 64 + (features.has_alpha != 0 ? pixels : 0)
            method = .webp(width: width, height: height)
            estimatedBytes = output + inside + DecodePlan.overhead
        default:
            let (width, height) = header.fitted(targetPixels)
            // The image at its own depth, a grey copy, and the scaled one.
            let whole = (pixels * header.bitsPerPixel + 7) / 8
            method = .whole
            estimatedBytes = whole + pixels + width * height + DecodePlan.overhead
        }
    }

    /// Byte 28 of a PNG is the interlace method of its header chunk (IHDR comes first).
    static func isInterlacedPNG(_ bytes: [UInt8]) -> Bool { bytes.count > 28 && bytes[28] != 0 }

    func decode(_ bytes: [UInt8]) throws(PhotoReadingError) -> GreyPix {
        let decoded: UnsafeMutablePointer<PIX>? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            switch method {
            case .jpeg(let reduction):
                // cmflag 0: no colour map. Luminance only: grey straight from the JPEG.
                return pixReadMemJpeg(base, buffer.count, 0, reduction, nil, Int32(L_JPEG_READ_LUMINANCE))
            case .cmykJPEG(let reduction, let width, let height):
                return DecodePlan.grey(width: width, height: height) { out, stride in
                    lens_jpeg_cmyk_grey(base, buffer.count, reduction, out, stride, UInt32(width), UInt32(height)) == 0
                }
            case .png(let width, let height):
                return DecodePlan.grey(width: width, height: height) { out, stride in
                    lens_png_grey(base, buffer.count, out, stride, UInt32(width), UInt32(height)) == 0
                }
            case .webp(let width, let height):
                return DecodePlan.webp(base, buffer.count, width: width, height: height)
            case .whole:
                return pixReadMem(base, buffer.count)
            }
        }
        guard let decoded, let grey = GreyPix.normalizing(decoded) else {
            throw .unreadable("the image's data is damaged or in a form that cannot be decoded")
        }
        return grey
    }

    /// An 8-bit pix `fill` writes row by row in memory order (Leptonica keeps bytes in
    /// host-endian words: swapped once afterwards).
    private static func grey(width: Int, height: Int,
                             _ fill: (UnsafeMutablePointer<UInt8>, Int) -> Bool) -> UnsafeMutablePointer<PIX>? {
        var pix: UnsafeMutablePointer<PIX>? = pixCreate(Int32(width), Int32(height), 8)
        guard let made = pix, let data = pixGetData(made) else { return nil }
        let stride = Int(pixGetWpl(made)) * 4
        guard fill(UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt8.self), stride) else {
            pixDestroy(&pix)
            return nil
        }
        pixEndianByteSwap(made)
        return made
    }

    /// A WebP scaled by libwebp to `width` × `height`, decoded into a 32-bit pix (RGBA in memory
    /// order, swapped to Leptonica's words afterwards).
    private static func webp(_ base: UnsafePointer<UInt8>, _ count: Int, width: Int, height: Int) -> UnsafeMutablePointer<PIX>? {
        var config = WebPDecoderConfig()
        var pix: UnsafeMutablePointer<PIX>? = pixCreate(Int32(width), Int32(height), 32)
        guard let made = pix, let data = pixGetData(made) else { return nil }
        guard WebPInitDecoderConfig(&config) != 0 else {
            pixDestroy(&pix)
            return nil
        }
        let stride = Int(pixGetWpl(made)) * 4
        config.options.use_scaling = 1
        config.options.scaled_width = Int32(width)
        config.options.scaled_height = Int32(height)
        config.output.colorspace = MODE_RGBA
        config.output.is_external_memory = 1
        config.output.u.RGBA.rgba = UnsafeMutableRawPointer(data).assumingMemoryBound(to: UInt8.self)
        config.output.u.RGBA.stride = Int32(stride)
        config.output.u.RGBA.size = stride * height
        let status = WebPDecode(base, count, &config)
        WebPFreeDecBuffer(&config.output)
        guard status == VP8_STATUS_OK else {
            pixDestroy(&pix)
            return nil
        }
        pixEndianByteSwap(made)
        return made
    }
}
