import Pipeline

/// Where hosted visual-search APIs fetch the photo from: a signed, short-lived URL under the
/// deployment's public base URL (the gateway's `/photos/…`), valid while the search lasts.
public protocol PhotoLinks: Sendable {
    func publish(_ image: UploadedImage, format: String) -> String
    /// The search is over; the URL stops working.
    func withdraw(_ image: UploadedImage)
}
