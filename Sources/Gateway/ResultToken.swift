import SystemSupport

/// Signed, short-lived access to one result, for `EventSource` (which cannot send headers):
/// `<expiry>.<hex HMAC-SHA256(secret, "<id>.<expiry>")>` in the `token` query parameter.
struct ResultToken: Sendable {
    let secret: String

    func make(id: String, expiresAt: Int64) -> String {
        "\(expiresAt).\(signature(id: id, expiresAt: expiresAt))"
    }

    func verify(_ token: String, id: String, now: Int64) -> Bool {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let expiry = Int64(parts[0]), expiry >= now else { return false }
        return ResultToken.constantTimeEqual(Array(parts[1].utf8), Array(signature(id: id, expiresAt: expiry).utf8))
    }

    func signature(id: String, expiresAt: Int64) -> String {
        HMACSHA256.hex(key: Array(secret.utf8), message: Array("\(id).\(expiresAt)".utf8))
    }

    /// Compares without an early exit, so the time taken says nothing about where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
