extension MultipartParser {
    /// The boundary of a `multipart/form-data` Content-Type, quoted or not. RFC 2046 §5.1.1:
    /// 1–70 characters from bchars, not ending in a space.
    public static func boundary(fromContentType contentType: String) throws(MultipartError) -> String {
        guard let value = MultipartHeaderValue.parse(Array(contentType.utf8)) else {
            throw MultipartError("missing media type in Content-Type")
        }
        guard value.type == "multipart/form-data" else {
            throw MultipartError("Content-Type is \(value.type), not multipart/form-data")
        }
        guard let boundary = value.param("boundary") else {
            throw MultipartError("multipart/form-data without a boundary parameter")
        }
        guard (1 ... 70).contains(boundary.count) else {
            throw MultipartError("multipart boundary must be 1 to 70 characters, got \(boundary.count)")
        }
        guard boundary.allSatisfy(isBChar), boundary.last != 0x20 else {
            throw MultipartError("multipart boundary has characters RFC 2046 does not allow")
        }
        return String(decoding: boundary, as: UTF8.self)
    }

    /// bchars: DIGIT / ALPHA / ' ( ) + _ , - . / : = ? and space.
    static func isBChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30 ... 0x39, 0x41 ... 0x5A, 0x61 ... 0x7A: return true
        case 0x27, 0x28, 0x29, 0x2B, 0x5F, 0x2C, 0x2D, 0x2E, 0x2F, 0x3A, 0x3D, 0x3F, 0x20: return true
        default: return false
        }
    }
}
