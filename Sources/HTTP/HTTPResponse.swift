import JSON
import SystemSupport

/// A complete response with a body in memory (everything but streams).
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func text(_ status: HTTPStatus, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]), body: Array(text.utf8))
    }

    public static func json(_ status: HTTPStatus, _ value: JSONValue) -> HTTPResponse {
        var body = value.serializedBytes()
        body.append(0x0A)
        return HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
    }

    /// The error body of PROTOCOL.md: `{"error": {"code": "...", "message": "..."}}`.
    public static func error(_ status: HTTPStatus, code: String, message: String) -> HTTPResponse {
        json(status, ["error": ["code": .string(code), "message": .string(message)]])
    }
}

/// Writes status lines and header fields.
enum ResponseHead {
    static let lineEnd: [UInt8] = [0x0D, 0x0A]

    /// `HTTP/1.1 200 OK\r\n`, with room for the fields that follow.
    static func statusLine(_ status: HTTPStatus) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        ASCIIDecimal.append(status.code, to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: status.reason.utf8)
        out.append(contentsOf: lineEnd)
        return out
    }

    static func append(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        // A value must never split the header section.
        SingleLine.append(value, to: &out)
        out.append(contentsOf: lineEnd)
    }
}
