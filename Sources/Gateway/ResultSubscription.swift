import EventLoop
import HTTP
import Pipeline
import Synchronization

/// Streams one result to one client as SSE: replays from `afterID`, then follows live events
/// until `done`. The hub only says "something new"; the subscription reads the shared log on
/// its own loop, so a slow client costs its socket buffer, not a queue. A client whose unread
/// backlog passes the bound is disconnected instead of growing memory.
final class ResultSubscription: HTTPRequestHandler {
    private let stream: ResultStream
    private let writer: HTTPResponseWriter
    private let settings: GatewaySettings
    private var cursor: Int
    private var watchToken: UInt64?
    private var heartbeatTimer: UInt64?
    private var lastWrite = MonotonicClock.nowMillis()
    private let wakeScheduled = WakeFlag()
    private var ended = false

    /// A flag shared with the hub's thread so many events in a burst wake the loop once.
    final class WakeFlag: Sendable {
        let scheduled = Atomic<Bool>(false)
    }

    init(stream: ResultStream, writer: HTTPResponseWriter, afterID: Int, settings: GatewaySettings,
         extraHeaders: [(String, String)] = [])
    {
        self.stream = stream
        self.writer = writer
        self.settings = settings
        self.cursor = afterID
        var headers = HTTPHeaders([
            ("Content-Type", "text/event-stream"),
            ("Cache-Control", "no-cache"),
            ("X-Accel-Buffering", "no"),
            ("X-Result-Id", stream.id),
            ("Location", "/results/\(stream.id)"),
        ])
        for (name, value) in extraHeaders { headers.add(name, value) }
        writer.beginStream(status: .ok, headers: headers)
        writer.write(SSEFrame.retry(milliseconds: settings.sseRetryMillis))
        let bound = LoopBound(self, loop: writer.loop)
        let flag = wakeScheduled
        watchToken = stream.watch {
            // Coalesce: one hop to the loop per burst, whatever the number of events.
            guard !flag.scheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
            bound.loop.execute {
                flag.scheduled.store(false, ordering: .releasing)
                bound.value.pump()
            }
        }
        pump()
        armHeartbeat()
    }

    func receiveEnd(_ writer: HTTPResponseWriter) {}

    func connectionClosed() {
        stop()
    }

    /// Writes every event not yet sent; ends the response after `done`.
    private func pump() {
        guard !ended else { return }
        if writer.isClosed {
            stop()
            return
        }
        let (events, finished) = stream.events(after: cursor)
        if !events.isEmpty {
            var bytes: [UInt8] = []
            for event in events {
                bytes.append(contentsOf: SSEFrame.event(id: String(event.id), name: event.name, data: event.envelope))
            }
            cursor = events[events.count - 1].id
            writer.write(bytes)
            lastWrite = MonotonicClock.nowMillis()
        }
        if writer.backlog > settings.maxSubscriberBacklogBytes {
            stop()
            writer.abort()  // too slow to keep up: drop it rather than buffer without bound
            return
        }
        if finished && cursor >= stream.lastEventID {
            stop()
            writer.endStream()
        }
    }

    private func armHeartbeat() {
        let interval = UInt64(settings.heartbeatMillis)
        heartbeatTimer = writer.loop.schedule(afterMillis: interval) { [weak self] in
            guard let self, !self.ended else { return }
            if MonotonicClock.nowMillis() - self.lastWrite >= interval {
                self.writer.write(SSEFrame.comment("keep-alive"))
                self.lastWrite = MonotonicClock.nowMillis()
            }
            self.armHeartbeat()
        }
    }

    private func stop() {
        guard !ended else { return }
        ended = true
        if let watchToken { stream.unwatch(watchToken) }
        watchToken = nil
        if let heartbeatTimer { writer.loop.cancelTimer(heartbeatTimer) }
        heartbeatTimer = nil
    }
}
