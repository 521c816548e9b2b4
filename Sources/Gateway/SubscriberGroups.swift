import EventLoop
import HTTP
import Pipeline
import Synchronization
import SystemSupport

/// The subscribers of each result on one loop. A result wakes each loop that has subscribers
/// once per burst of events, and the loop pumps all of its subscribers in one go: one hop, one
/// read of the result's log and one encoding per event per loop, whatever the number of
/// subscribers. Keep-alives are one sweep per loop too, not a timer per subscriber.
final class SubscriberGroups {
    private var groups: [String: Group] = [:]
    private var heartbeatTimer: UInt64?

    final class Group {
        var members: [ObjectIdentifier: ResultSubscription] = [:]
        var token: UInt64?
        let scheduled = WakeFlag()
        /// SSE frames by event id, framed as chunks: each event is encoded and framed once on
        /// this loop, and every subscriber's queue points to the same bytes (dropped with the
        /// group when the last one leaves).
        var frames: [Int: StreamChunk] = [:]
    }

    /// The keep-alive comment, framed once for every subscriber of this loop.
    let keepAlive = StreamChunk(SSEFrame.comment("keep-alive"))

    /// `events` (consecutive ids) as SSE frames, encoded once per loop for all subscribers of
    /// their result.
    func frames(_ events: [ResultEvent], stream: ResultStream) -> [StreamChunk] {
        guard let group = groups[stream.id] else { return events.map(Self.encode) }
        return events.map { event in
            if let frame = group.frames[event.id] { return frame }
            let frame = Self.encode(event)
            group.frames[event.id] = frame
            return frame
        }
    }

    private static func encode(_ event: ResultEvent) -> StreamChunk {
        StreamChunk(SSEFrame.event(id: event.id, name: event.name, data: event.envelope))
    }

    /// Set while a wake-up is on its way to the loop, so a burst of events costs one hop.
    final class WakeFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    static func on(_ loop: EventLoop) -> SubscriberGroups {
        loop.local(SubscriberGroups.self) { SubscriberGroups() }
    }

    func add(_ subscription: ResultSubscription, stream: ResultStream, loop: EventLoop, heartbeatMillis: Int) {
        let group = groups[stream.id] ?? Group()
        groups[stream.id] = group
        group.members[ObjectIdentifier(subscription)] = subscription
        armHeartbeat(loop: loop, interval: UInt64(heartbeatMillis))
        guard group.token == nil else { return }
        let bound = LoopBound(group, loop: loop)
        let flag = group.scheduled
        group.token = stream.watch {
            guard !flag.value.exchange(true, ordering: .acquiringAndReleasing) else { return }
            bound.loop.execute {
                flag.value.store(false, ordering: .releasing)
                SubscriberGroups.on(bound.loop).pump(bound.value, stream: stream)
            }
        }
    }

    /// Hands every member the events it has not had, read from the log once for all of them.
    private func pump(_ group: Group, stream: ResultStream) {
        // Members may leave while pumping: iterate over a copy.
        let members = Array(group.members.values)
        guard let from = members.lazy.map(\.cursor).min() else { return }
        let (events, finished) = stream.events(after: from)
        let frames = frames(events, stream: stream)[...]
        let now = MonotonicClock.nowMillis()
        for member in members { member.pump(frames, from: from, finished: finished, now: now) }
    }

    /// Every `interval`, a keep-alive comment to each subscriber that has had nothing for that
    /// long (so a stream is never silent for more than two intervals); stops with no subscribers.
    private func armHeartbeat(loop: EventLoop, interval: UInt64) {
        guard heartbeatTimer == nil else { return }
        // `unowned`: the groups live as long as their loop (a loop-local value).
        heartbeatTimer = loop.schedule(afterMillis: interval) { [unowned self] in
            self.heartbeatTimer = nil
            guard !self.groups.isEmpty else { return }
            let now = MonotonicClock.nowMillis()
            for group in Array(self.groups.values) {
                for member in Array(group.members.values) { member.keepAlive(self.keepAlive, now: now, interval: interval) }
            }
            self.armHeartbeat(loop: loop, interval: interval)
        }
    }

    func remove(_ subscription: ResultSubscription, stream: ResultStream) {
        guard let group = groups[stream.id] else { return }
        group.members[ObjectIdentifier(subscription)] = nil
        if group.members.isEmpty {
            if let token = group.token { stream.unwatch(token) }
            groups[stream.id] = nil
        }
    }
}
