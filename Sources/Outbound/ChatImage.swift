/// A photo for the model, sent inline as a `data:` URL (the API cannot reach our temp files).
public struct ChatImage: Sendable {
    public let bytes: [UInt8]
    public let mimeType: String

    public init(bytes: [UInt8], mimeType: String) {
        self.bytes = bytes
        self.mimeType = mimeType
    }

    public var dataURL: String { "data:\(mimeType);base64,\(Base64.encode(bytes))" }
}
