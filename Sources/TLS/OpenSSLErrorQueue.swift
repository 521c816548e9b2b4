import COpenSSL

/// OpenSSL's error queue is per thread and shared by every connection on that thread, so each
/// call into OpenSSL starts with `clear()` and every failure `drain()`s what it caused.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Removes every queued error and returns their reasons, oldest first, joined with "; ".
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            reasons.append(describe(code))
        }
        return reasons.joined(separator: "; ")
    }

    /// The code of the oldest queued error (0 if none), without removing it.
    static func peekFirst() -> UInt {
        ERR_peek_error()
    }

    static func describe(_ code: UInt) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            guard let base = buffer.baseAddress else { return "openssl error \(code)" }
            ERR_error_string_n(code, base, buffer.count)
            return String(cString: base)
        }
    }
}
