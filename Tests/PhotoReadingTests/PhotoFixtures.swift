import TestSupport
import CJpeg
import CLeptonica
import CPNG
import CWebP
import Foundation
import Glibc
import Testing

/// Photos the decoding tests make themselves: large ones (decompression bombs), WebP and CMYK
/// JPEG versions of the peer corpora's samples.
enum PhotoFixtures {
    /// The grey pixels of a file Leptonica can read, row by row.
    static func grey(_ bytes: [UInt8]) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let result = bytes.withUnsafeBufferPointer { buffer -> (Int, Int, [UInt8])? in
            guard let base = buffer.baseAddress else { return nil }
            var pix = pixReadMem(base, buffer.count)
            defer { pixDestroy(&pix) }
            guard pix != nil else { return nil }
            var grey = pixConvertTo8(pix, 0)
            defer { pixDestroy(&grey) }
            guard let g = grey else { return nil }
            let w = Int(pixGetWidth(g)), h = Int(pixGetHeight(g))
            var out = [UInt8](repeating: 0, count: w * h)
            for y in 0..<h {
                guard let line = pixGetData(g).map({ $0 + y * Int(pixGetWpl(g)) }) else { return nil }
                for x in 0..<w { out[y * w + x] = clept_get_byte(line, Int32(x)) }
            }
            return (w, h, out)
        }
        let decoded = try #require(result, "Leptonica could not read the sample")
        return (decoded.0, decoded.1, decoded.2)
    }

    /// `source` scaled to about `pixels` pixels (grey), written by Leptonica in `format` (24-bit
    /// colour when `colour`) to a temporary file whose path is returned.
    static func blownUp(_ source: [UInt8], toPixels pixels: Double, format: Int32, colour: Bool, suffix: String) throws -> String {
        let path = NSTemporaryDirectory() + "lens-gpt-bomb-\(UUID().uuidString).\(suffix)"
        let written = source.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            var small = pixReadMem(base, buffer.count)
            defer { pixDestroy(&small) }
            guard small != nil else { return false }
            var grey = pixConvertTo8(small, 0)
            defer { pixDestroy(&grey) }
            guard grey != nil else { return false }
            let factor = Float((pixels / Double(pixGetWidth(grey) * pixGetHeight(grey))).squareRoot())
            // Sampled (no smoothing): the bars stay sharp, and the file small.
            var large = pixScaleBySampling(grey, factor, factor)
            defer { pixDestroy(&large) }
            guard large != nil else { return false }
            if colour {
                var rgb = pixConvertTo32(large)
                defer { pixDestroy(&rgb) }
                guard rgb != nil else { return false }
                return pixWrite(path, rgb, format) == 0
            }
            return pixWrite(path, large, format) == 0
        }
        try #require(written, "could not write \(path)")
        return path
    }

    /// A WebP of grey `pixels` (`width` × `height`), lossless or lossy, encoded quickly (method 0).
    static func webp(width: Int, height: Int, pixels: [UInt8], lossless: Bool) throws -> [UInt8] {
        try webp(width: width, height: height, lossless: lossless) { argb in
            for (i, v) in pixels.enumerated() { argb[i] = 0xFF00_0000 | UInt32(v) << 16 | UInt32(v) << 8 | UInt32(v) }
        }
    }

    /// A WebP of one grey level all over: 100 megapixels of it is a few kilobytes lossless.
    static func webp(width: Int, height: Int, level: UInt8, lossless: Bool) throws -> [UInt8] {
        try webp(width: width, height: height, lossless: lossless) { argb in
            argb.update(repeating: 0xFF00_0000 | UInt32(level) << 16 | UInt32(level) << 8 | UInt32(level), count: width * height)
        }
    }

    private static func webp(width: Int, height: Int, lossless: Bool, fill: (UnsafeMutablePointer<UInt32>) -> Void) throws -> [UInt8] {
        var config = WebPConfig()
        try #require(WebPConfigInit(&config) != 0)
        config.lossless = lossless ? 1 : 0
        config.method = 0
        config.quality = lossless ? 0 : 90
        // libwebp keeps pointers to the picture and its writer while it encodes: both on the heap.
        let picture = UnsafeMutablePointer<WebPPicture>.allocate(capacity: 1)
        let writer = UnsafeMutablePointer<WebPMemoryWriter>.allocate(capacity: 1)
        picture.initialize(to: WebPPicture())
        writer.initialize(to: WebPMemoryWriter())
        defer { WebPPictureFree(picture); WebPMemoryWriterClear(writer); picture.deallocate(); writer.deallocate() }
        try #require(WebPPictureInit(picture) != 0)
        picture.pointee.use_argb = 1
        picture.pointee.width = Int32(width)
        picture.pointee.height = Int32(height)
        try #require(WebPPictureAlloc(picture) != 0)
        let argb = try #require(picture.pointee.argb)
        fill(argb)
        WebPMemoryWriterInit(writer)
        picture.pointee.writer = WebPMemoryWrite
        picture.pointee.custom_ptr = UnsafeMutableRawPointer(writer)
        try #require(WebPEncode(&config, picture) != 0, "WebP encoding failed: \(picture.pointee.error_code)")
        return Array(UnsafeBufferPointer(start: UnsafePointer(writer.pointee.mem), count: writer.pointee.size))
    }

    /// A CMYK JPEG of grey `pixels` printed in black ink alone (K = 255 − grey). With `adobe`,
    /// the inks are stored inverted under Adobe's APP14 marker, as Photoshop writes them;
    /// without, plain and with no marker.
    static func cmykJPEG(width: Int, height: Int, pixels: [UInt8], adobe: Bool) -> [UInt8] {
        // libjpeg keeps pointers to both structs between calls: they live on the heap.
        let info = UnsafeMutablePointer<jpeg_compress_struct>.allocate(capacity: 1)
        let error = UnsafeMutablePointer<jpeg_error_mgr>.allocate(capacity: 1)
        info.initialize(to: jpeg_compress_struct())
        error.initialize(to: jpeg_error_mgr())
        defer { info.deallocate(); error.deallocate() }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        info.pointee.err = jpeg_std_error(error)
        jpeg_CreateCompress(info, JPEG_LIB_VERSION, MemoryLayout<jpeg_compress_struct>.size)
        jpeg_mem_dest(info, &buffer, &size)
        info.pointee.image_width = JDIMENSION(width)
        info.pointee.image_height = JDIMENSION(height)
        info.pointee.input_components = 4
        info.pointee.in_color_space = JCS_CMYK
        jpeg_set_defaults(info)
        jpeg_set_colorspace(info, JCS_CMYK)
        jpeg_set_quality(info, 95, 1)
        info.pointee.write_Adobe_marker = adobe ? 1 : 0
        jpeg_start_compress(info, 1)
        var row = [UInt8](repeating: 0, count: width * 4)
        for y in 0..<height {
            for x in 0..<width {
                let ink: [UInt8] = [0, 0, 0, 255 - pixels[y * width + x]]
                for c in 0..<4 { row[4 * x + c] = adobe ? 255 - ink[c] : ink[c] }
            }
            row.withUnsafeMutableBufferPointer { line in
                var rows: [JSAMPROW?] = [line.baseAddress]
                _ = jpeg_write_scanlines(info, &rows, 1)
            }
        }
        jpeg_finish_compress(info)
        jpeg_destroy_compress(info)
        defer { free(buffer) }
        return Array(UnsafeBufferPointer(start: UnsafePointer(buffer), count: Int(size)))
    }

    /// An interlaced (Adam7) 24-bit PNG of grey `pixels`, written by libpng (Leptonica writes none).
    static func interlacedPNG(width: Int, height: Int, pixels: [UInt8]) throws -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        var png: png_structp? = png_create_write_struct(PNG_LIBPNG_VER_STRING, nil, nil, nil)
        var info: png_infop? = png_create_info_struct(png)
        defer { png_destroy_write_struct(&png, &info) }
        try #require(png != nil && info != nil)
        png_set_write_fn(png, Unmanaged.passUnretained(sink).toOpaque(), { png, data, length in
            guard let io = png_get_io_ptr(png), let data else { return }
            Unmanaged<Sink>.fromOpaque(io).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
        }, nil)
        png_set_IHDR(png, info, UInt32(width), UInt32(height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_ADAM7, 0, 0)
        png_write_info(png, info)
        let passes = png_set_interlace_handling(png)
        var row = [UInt8](repeating: 0, count: width * 3)
        for _ in 0..<passes {
            for y in 0..<height {
                for x in 0..<width { row[3 * x] = pixels[y * width + x]; row[3 * x + 1] = row[3 * x]; row[3 * x + 2] = row[3 * x] }
                png_write_row(png, row)
            }
        }
        png_write_end(png, nil)
        return sink.bytes
    }

    /// The peak resident memory GNU time reports for `lens-gpt` run with `arguments`, and its run.
    static func measured(_ lensGPT: String, _ arguments: [String]) throws -> (run: (status: Int32, out: String, err: String), peakKiB: Int) {
        // GNU time forks the reader from its own small process, so %M is the reader's peak alone.
        let run = try runProgram("/usr/bin/time", ["-f", "peak-kib %M", lensGPT] + arguments)
        let peak = run.err.split(separator: "\n").last { $0.hasPrefix("peak-kib ") }.flatMap { Int($0.dropFirst(9)) }
        return (run, peak ?? .max)
    }
}
