import JSON
import SystemSupport

/// What a running producer can see and do: the image, its deadline, and emitting events.
public final class StageContext: Sendable {
    public let image: UploadedImage
    public let stage: String
    /// Monotonic nanoseconds after which the stage should give up (its time limit).
    public let deadlineNanos: UInt64
    private let stream: ResultStream

    init(image: UploadedImage, stage: String, deadlineNanos: UInt64, stream: ResultStream) {
        self.image = image
        self.stage = stage
        self.deadlineNanos = deadlineNanos
        self.stream = stream
    }

    /// Emits an event (normally the stage's result, under the stage's name).
    public func emit(_ name: String, _ payload: JSONValue) {
        stream.append(name: name, payload: payload)
    }

    /// Milliseconds left before the stage's time limit (0 when past it).
    public var remainingMillis: Int {
        let now = MonotonicClock.nowNanos()
        return now >= deadlineNanos ? 0 : Int((deadlineNanos - now) / 1_000_000)
    }
}
