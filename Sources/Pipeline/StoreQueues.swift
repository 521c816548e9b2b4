import Dispatch

/// Runs a `ResultStore`'s calls on the store's own threads: one serial writer (saves keep their
/// order, and a slow disk delays only other saves) and one reader, so a lookup never waits
/// behind a save and no event-loop thread ever touches the disk.
final class StoreQueues: Sendable {
    let store: ResultStore
    private let writer = DispatchQueue(label: "lens-gpt.store.writer")
    private let reader = DispatchQueue(label: "lens-gpt.store.reader")

    init(store: ResultStore) {
        self.store = store
    }

    func write(_ work: @escaping @Sendable (ResultStore) -> Void) {
        writer.async { [store] in work(store) }
    }

    func read(_ work: @escaping @Sendable (ResultStore) -> Void) {
        reader.async { [store] in work(store) }
    }
}
