/// Photos for hosted visual-search APIs, and the key their URLs are signed with, kept where
/// every gateway sharing the store finds them: a signed photo URL one gateway hands out is
/// answered by any gateway behind the same load balancer.
///
/// Every call but `onPhotoThread` blocks on the store: make them on a worker thread or inside
/// `onPhotoThread`, never on a loop thread.
public protocol SharedPhotos: Sendable {
    /// The secret every gateway signs photo URLs with: `candidate` becomes it when none is
    /// stored yet (the first gateway to ask sets it). Nil when the store cannot be reached.
    func sharedSecret(candidate: String) -> String?
    /// Keeps a photo (its content type and bytes) for `lifetimeSeconds`; false when the store
    /// refused it or cannot be reached.
    func putPhoto(id: String, contentType: String, bytes: [UInt8], lifetimeSeconds: Int) -> Bool
    /// The photo, or nil (not kept, expired, or the store unreachable).
    func photo(id: String) -> (contentType: String, bytes: [UInt8])?
    /// The search is over: the photo goes before its lifetime ends.
    func removePhoto(id: String)
    /// Runs `body` on the store's photo thread, where the calls above may be made.
    func onPhotoThread(_ body: @escaping @Sendable () -> Void)
}
