import Dispatch
import Synchronization

/// One value handed from a callback to a thread that waits for it (command-line and test
/// paths only: loop threads never wait).
final class BlockingAnswer<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func put(_ v: Value) {
        value.withLock { $0 = v }
        ready.signal()
    }

    func take() -> Value {
        while true {
            ready.wait()
            // put() stores the value before it signals.
            if let v = value.withLock({ $0.take() }) { return v }
        }
    }
}
