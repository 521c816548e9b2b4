/// Carries a loop-confined object through a `@Sendable` closure that will run on that loop
/// (a hub waking a subscriber, for instance). Access is checked to happen on the loop.
public struct LoopBound<Value: AnyObject>: @unchecked Sendable {  // the value is only touched on `loop`'s thread, enforced by `value`'s precondition
    public let loop: EventLoop
    private let wrapped: Value

    public init(_ value: Value, loop: EventLoop) {
        self.loop = loop
        wrapped = value
    }

    public var value: Value {
        precondition(loop.isCurrent, "a loop-bound value was used off its loop")
        return wrapped
    }
}
