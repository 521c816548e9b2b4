/// Application bytes an encrypted stream has accepted but not encrypted yet, in order. Arrays
/// are kept as they are (copy-on-write: a 16 MiB response body is not copied to get here) and
/// handed out a slice at a time as the socket drains.
struct PlaintextBacklog {
    private var segments: [[UInt8]] = []
    private var headOffset = 0
    private(set) var byteCount = 0

    var isEmpty: Bool { segments.isEmpty }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        segments.append(bytes)
        byteCount += bytes.count
    }

    /// Removes and returns up to `limit` bytes from the front (a slice sharing the array's
    /// storage), or nil when empty.
    mutating func popFront(upTo limit: Int) -> ArraySlice<UInt8>? {
        guard let head = segments.first else { return nil }
        let end = min(head.count, headOffset + limit)
        let slice = head[headOffset..<end]
        byteCount -= slice.count
        if end == head.count {
            segments.removeFirst()
            headOffset = 0
        } else {
            headOffset = end
        }
        return slice
    }

    mutating func removeAll() {
        segments.removeAll()
        headOffset = 0
        byteCount = 0
    }
}
