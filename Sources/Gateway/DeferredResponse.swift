import EventLoop
import HTTP

/// A response that needs an answer from off the loop (readiness asks the store, a photo or a
/// file is read from the disk): `start` asks, and `build` makes the response on the loop once
/// the answer has arrived.
final class DeferredResponse<Value: Sendable>: HTTPRequestHandler {
    private let writer: HTTPResponseWriter
    private let build: (Value) -> HTTPResponse

    init(writer: HTTPResponseWriter, start: (_ answer: @escaping @Sendable (Value) -> Void) -> Void,
         build: @escaping (Value) -> HTTPResponse)
    {
        self.writer = writer
        self.build = build
        let bound = LoopBound(self, loop: writer.loop)
        start { value in
            bound.loop.execute { bound.value.deliver(value) }
        }
    }

    private func deliver(_ value: Value) {
        guard !writer.isClosed else { return }
        writer.send(build(value))
    }

    func receiveEnd(_ writer: HTTPResponseWriter) {}
}
