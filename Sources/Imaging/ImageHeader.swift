public enum ImageFormat: String, Sendable { case png, jpeg, webp }
