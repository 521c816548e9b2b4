import EventLoop
import HTTP
import Pipeline
import Synchronization

/// The subscribers of each result on one loop. A result wakes each loop that has subscribers
/// once per burst of events, and the loop pumps all of its subscribers in one go: one hop per
/// loop rather than one per subscriber, whatever the number of subscribers.
final class SubscriberGroups {
    private var groups: [String: Group] = [:]

    final class Group {
        var members: [ObjectIdentifier: ResultSubscription] = [:]
        var token: UInt64?
        let scheduled = WakeFlag()
        /// SSE frames by event id: each event is encoded once on this loop, however many of
        /// its subscribers receive it (dropped with the group when the last one leaves).
        var frames: [Int: [UInt8]] = [:]
    }

    /// `event` as an SSE frame, encoded once per loop for all subscribers of its result.
    func frame(_ event: ResultEvent, stream: ResultStream) -> [UInt8] {
        guard let group = groups[stream.id] else { return SSEFrame.event(id: event.id, name: event.name, data: event.envelope) }
        if let frame = group.frames[event.id] { return frame }
        let frame = SSEFrame.event(id: event.id, name: event.name, data: event.envelope)
        group.frames[event.id] = frame
        return frame
    }

    /// Set while a wake-up is on its way to the loop, so a burst of events costs one hop.
    final class WakeFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    static func on(_ loop: EventLoop) -> SubscriberGroups {
        loop.local(SubscriberGroups.self) { SubscriberGroups() }
    }

    func add(_ subscription: ResultSubscription, stream: ResultStream, loop: EventLoop) {
        let group = groups[stream.id] ?? Group()
        groups[stream.id] = group
        group.members[ObjectIdentifier(subscription)] = subscription
        guard group.token == nil else { return }
        let bound = LoopBound(group, loop: loop)
        let flag = group.scheduled
        group.token = stream.watch {
            guard !flag.value.exchange(true, ordering: .acquiringAndReleasing) else { return }
            bound.loop.execute {
                flag.value.store(false, ordering: .releasing)
                // Members may leave while pumping: iterate over a copy.
                for member in Array(bound.value.members.values) { member.pump() }
            }
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
