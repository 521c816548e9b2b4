import CZlib

/// gzip decoding with a hard cap on the output size.
enum Gzip {
    static func decompress(_ input: [UInt8], maxOutput: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard lens_gpt_inflate_init_gzip(&stream) == Z_OK else {
            throw ExtractionError(.invalidGzip, "could not start gzip decoding")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var input = input
        return try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, buffer.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                guard output.count <= maxOutput else { throw ExtractionError.tooLarge(maxOutput) }
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw ExtractionError(.invalidGzip, "gzip data is truncated")
                default:
                    throw ExtractionError(.invalidGzip, "gzip data is corrupt (zlib status \(status))")
                }
            }
        }
    }
}
