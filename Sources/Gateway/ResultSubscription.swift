import EventLoop
import HTTP
import Pipeline
import Synchronization
import SystemSupport

/// Streams one result to one client as SSE: replays from `afterID`, then follows live events
/// until `done`. The hub only says "something new"; the subscription reads the shared log on
/// its own loop at the client's pace: it writes while the client's unread bytes are under the
/// high-water mark and goes on when they drain, so a slow client costs its socket buffer, not
/// a queue. A client that stops reading (no drain within the stall time) or whose backlog
/// passes the bound anyway is disconnected.
final class ResultSubscription: HTTPRequestHandler {
    private let stream: ResultStream
    private let writer: HTTPResponseWriter
    /// The two limits it needs, not a copy of the settings: a subscription lives as long as its
    /// stream, and 10,000 copies of every gateway setting cost 10,000 times their size.
    private let maxBacklog: Int
    private let stallMillis: UInt64
    /// The id of the last event written.
    private(set) var cursor: Int
    private var watching = false
    private var lastWrite = MonotonicClock.nowMillis()
    private var ended = false
    private let highWater: Int
    private var stallTimer: UInt64?
    private let openStreams: StreamCount

    init(stream: ResultStream, writer: HTTPResponseWriter, afterID: Int, settings: GatewaySettings, openStreams: StreamCount,
         extraHeaders: [(String, String)] = [])
    {
        self.stream = stream
        self.writer = writer
        self.openStreams = openStreams
        openStreams.opened()
        maxBacklog = settings.maxSubscriberBacklogBytes
        stallMillis = UInt64(settings.subscriberStallMillis)
        self.cursor = afterID
        highWater = min(settings.http.writeHighWaterBytes, settings.maxSubscriberBacklogBytes / 2)
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
        SubscriberGroups.on(writer.loop).add(self, stream: stream, loop: writer.loop, heartbeatMillis: settings.heartbeatMillis)
        watching = true
        writer.onDrain = { [weak self] in self?.drained() }
        pump()
    }

    private func drained() {
        if let stallTimer { writer.loop.cancelTimer(stallTimer) }
        stallTimer = nil
        pump()
    }

    func receiveEnd(_ writer: HTTPResponseWriter) {}

    func connectionClosed() {
        stop()
    }

    /// Writes every event not yet sent; ends the response after `done`.
    func pump() {
        guard !ended else { return }
        let (events, finished) = stream.events(after: cursor)
        let frames = SubscriberGroups.on(writer.loop).frames(events, stream: stream)
        pump(frames[...], from: cursor, finished: finished, now: MonotonicClock.nowMillis())
    }

    /// `pump()` with the log already read and encoded: `frames` are those of the events after
    /// id `from` (≤ `cursor`), shared with the result's other subscribers on this loop.
    func pump(_ frames: ArraySlice<StreamChunk>, from: Int, finished: Bool, now: UInt64) {
        guard !ended else { return }
        if writer.isClosed {
            stop()
            return
        }
        // Ids are consecutive: the frames after the cursor start `cursor - from` in.
        var frames = frames.dropFirst(max(0, cursor - from))
        var finished = finished
        // Paced: write while the client's unread bytes are under the high-water mark; what is
        // left goes out from `drained()`.
        while !frames.isEmpty && writer.backlog < highWater && !writer.isClosed {
            var end = frames.startIndex
            var bytes = 0
            while end < frames.endIndex && (bytes == 0 || writer.backlog + bytes < highWater) {
                bytes += frames[end].count
                end += 1
            }
            writer.write(frames[..<end])
            cursor += end - frames.startIndex
            frames = frames[end...]
            lastWrite = now
        }
        finished = finished && frames.isEmpty
        if writer.backlog > maxBacklog {
            disconnect()
            return
        }
        if writer.backlog >= highWater && stallTimer == nil {
            stallTimer = writer.loop.schedule(afterMillis: stallMillis) { [weak self] in
                self?.stallTimer = nil
                self?.disconnect()
            }
        }
        if finished && cursor >= stream.lastEventID {
            stop()
            // This copy of the result broke off (its shared store is unreachable): say so in a
            // frame without an id, so that the client reconnects from its last event.
            if let reason = stream.brokenReason, !stream.isFinished { writer.write(StreamError.frame(reason)) }
            writer.endStream()
        }
    }

    /// Too slow to keep up: dropped rather than buffered without bound.
    private func disconnect() {
        stop()
        writer.abort()
    }

    /// A comment line when nothing was written for `interval`: proxies and clients that drop
    /// silent connections keep this one (called by the loop's heartbeat sweep).
    func keepAlive(_ comment: StreamChunk, now: UInt64, interval: UInt64) {
        guard !ended, now - lastWrite >= interval else { return }
        writer.write([comment][...])
        lastWrite = now
    }

    private func stop() {
        guard !ended else { return }
        ended = true
        openStreams.closed()
        if watching { SubscriberGroups.on(writer.loop).remove(self, stream: stream) }
        watching = false
        if let stallTimer { writer.loop.cancelTimer(stallTimer) }
        stallTimer = nil
        writer.onDrain = nil
    }
}
