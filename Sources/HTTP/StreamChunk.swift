import EventLoop

/// A piece of a streamed response made once for many connections (an SSE frame sent to every
/// subscriber of a result on one loop): its bytes already framed as an HTTP/1.1 chunk
/// (`size CRLF bytes CRLF`) in shared storage, so each connection queues a reference to it
/// rather than a copy. An HTTP/1.0 stream (no chunked coding) sends the bytes alone.
public struct StreamChunk {
    let storage: SharedBytes
    /// Where the unframed bytes are in `storage`.
    let payload: Range<Int>

    /// Empty `bytes` make an empty chunk, which writers skip (a zero-size chunk would end the
    /// response).
    public init(_ bytes: [UInt8]) {
        let prefix = Array(String(bytes.count, radix: 16).utf8) + [0x0D, 0x0A]
        storage = SharedBytes(prefix, bytes, [0x0D, 0x0A])
        payload = prefix.count..<(prefix.count + bytes.count)
    }

    /// The unframed size.
    public var count: Int { payload.count }

    /// The unframed bytes (a copy).
    public var bytes: [UInt8] { storage[payload] }

    /// What goes on the wire for a chunked (`true`) or a close-delimited response.
    func wireRange(chunked: Bool) -> Range<Int> {
        chunked ? 0..<storage.count : payload
    }
}
