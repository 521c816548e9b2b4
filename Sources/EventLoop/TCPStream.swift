import CEpoll
import Glibc
import SystemSupport

/// What a stream tells its owner (the HTTP connection). Every call is on the loop thread.
public protocol StreamDelegate: AnyObject {
    /// Plaintext received. The bytes are valid only during the call.
    func streamDidRead(_ stream: TCPStream, _ bytes: UnsafeRawBufferPointer)
    /// The write queue emptied after having held bytes (a good moment to resume work).
    func streamDidDrain(_ stream: TCPStream)
    /// The stream is closed (peer EOF, error, or our own close). No more calls follow.
    func streamDidClose(_ stream: TCPStream)
}

/// A non-blocking TCP connection owned by one loop, with a write queue. What one event's handler
/// (or one round of the loop's timers and tasks) writes is held, the writers' own arrays and not
/// copies, and sent together when it returns, in one `send` or `writev`, as redis' `beforeSleep`
/// does once per turn: a response's head and body, pipelined responses, or an SSE start's head,
/// `retry` line and first events leave in one system call. Only what the kernel does not take
/// then waits in the queue for EPOLLOUT.
public final class TCPStream: EventHandler {
    public let fd: Int32
    public let loop: EventLoop
    public let peerAddress: String
    public var delegate: StreamDelegate?
    /// TLS or another byte transform; nil for plaintext.
    public var transform: StreamTransform?

    private var queue = WriteQueue()
    /// Written since the loop's last flush, in order, not offered to the kernel yet (see `flushOutbox`).
    /// Non-empty only while the queue is empty: once the kernel is behind, writes go behind it.
    private var outbox: [[UInt8]] = []
    private var outboxBytes = 0
    /// On the loop's list of streams to flush.
    private var awaitingFlush = false
    /// Encrypted streams only: plaintext not encrypted yet (see `encryptBacklog`).
    private var backlog = PlaintextBacklog()
    /// Plaintext encrypted per step while a backlog drains: four full TLS records.
    static let encryptSliceBytes = 64 * 1024
    /// Bytes the kernel did not take when they were offered (they wait for EPOLLOUT), and TLS
    /// plaintext not encrypted yet. What waits for the loop's flush is not counted (at most
    /// `outboxLimitBytes`): owners pace themselves by the socket's backlog, and a drain follows
    /// only a backlog.
    public var queuedBytes: Int { queue.byteCount + backlog.byteCount }
    /// The outbox is sent at once when it reaches this size, so a handler writing much (a
    /// replay, pipelined files) holds little in memory and meets the socket's pace as before.
    static let outboxLimitBytes = 64 * 1024
    private var readingPaused = false
    /// While > 0, plaintext reads go into this stream's own buffers of this size, which the
    /// delegate may keep (`keepReadBuffer`) instead of copying what it hands to another thread;
    /// 0: into the loop's shared buffer.
    public var keepableReadBytes = 0 {
        didSet { if keepableReadBytes != oldValue { ownReadBuffer = nil } }
    }
    private var ownReadBuffer: ReadBuffer?
    private var closeWhenFlushed = false
    /// Set by `close(lingerMillis:)`: after the flush, the write side is shut and reads are
    /// discarded until EOF or the deadline.
    private var lingerMillis: UInt64 = 0
    private var lingering = false
    public private(set) var isClosed = false
    /// A write that makes no progress for this long closes the stream and frees its queue (a
    /// client that stops reading must not pin memory, nor a close that waits for a flush). 0: off.
    public var writeTimeoutMillis: UInt64 = 0
    private var writeTimer: UInt64?
    /// When the kernel last took bytes from the queue (or the queue last started to fill).
    private var lastWriteProgressMillis: UInt64 = 0
    /// `write(shared:range:more:)` queued bytes without sending them: more follow this turn.
    private var heldForMore = false
    /// Encrypted streams: shared bytes gathered until the last of a batch (one record for all).
    private var sharedPlaintext: [UInt8] = []
    private var plaintextScratch: [UInt8] = []
    private var ciphertextScratch: [UInt8] = []
    private let onClose: (() -> Void)?

    /// Adopts an accepted, non-blocking socket and registers it for reading.
    public init(fd: Int32, loop: EventLoop, onClose: (() -> Void)? = nil) throws {
        self.fd = fd
        self.loop = loop
        self.onClose = onClose
        peerAddress = Socket.peerAddress(fd)
        _ = cepoll_set_nodelay(fd)
        try loop.register(fd: fd, interest: EventLoop.readable, handler: self)
    }

    // MARK: writing

    /// Queues bytes for the peer; they are sent when the running handler or task returns.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed, !closeWhenFlushed, bytes.count > 0 else { return }
        guard transform != nil else { return writeRaw(Array(bytes)) }
        if backlog.isEmpty && bytes.count <= Self.encryptSliceBytes {
            encrypt(bytes)
        } else {
            backlog.append(Array(bytes))
            encryptBacklog()
        }
    }

    public func write(_ bytes: [UInt8]) {
        guard transform != nil else {
            guard !isClosed, !closeWhenFlushed else { return }
            return writeRaw(bytes)  // the array itself waits for the flush
        }
        guard !backlog.isEmpty || bytes.count > Self.encryptSliceBytes else {
            return bytes.withUnsafeBytes { write($0) }
        }
        guard !isClosed, !closeWhenFlushed else { return }
        backlog.append(bytes)  // the array itself: a large body is not copied to wait here
        encryptBacklog()
    }

    /// Queues `range` of `shared` for the peer by reference (bytes many streams send, such as
    /// one event frame to every subscriber), writing at once what the socket takes; a part the
    /// kernel leaves waits in the queue as a reference too. `more`: further writes follow in
    /// this turn, so this one only queues and the last one sends them all in one `writev`.
    /// Encrypted streams encrypt a copy (the records are theirs alone).
    public func write(shared: SharedBytes, range: Range<Int>, more: Bool = false) {
        guard !isClosed, !closeWhenFlushed, !range.isEmpty else { return }
        guard transform == nil else {
            sharedPlaintext.append(contentsOf: shared.storage[range])
            if !more {
                let plaintext = sharedPlaintext
                sharedPlaintext = []
                write(plaintext)
            }
            return
        }
        // Bytes written before these (a response head) leave first.
        if !outbox.isEmpty { sendOutbox() }
        guard !isClosed else { return }
        // A queue that held bytes before (and is not just held for this batch) waits for EPOLLOUT.
        let sendable = queue.isEmpty || heldForMore
        queue.append(shared: shared, range: range)
        guard sendable else { return }
        heldForMore = more
        if !more { sendQueuedNow() }
    }

    /// Writes the queue at once (it was not waiting for EPOLLOUT); what is left waits for it.
    private func sendQueuedNow() {
        switch queue.flush(to: fd) {
        case .failed:
            abort()
        case .wouldBlock:
            noteWriteProgress()
            updateInterest()
            armWriteTimer()
        case .drained:
            break
        }
    }

    private func encrypt(_ plaintext: UnsafeRawBufferPointer) {
        guard let transform else { return }
        ciphertextScratch.removeAll(keepingCapacity: true)
        do {
            try transform.outbound(plaintext, ciphertext: &ciphertextScratch)
        } catch {
            abort()
            return
        }
        // Handed over as it is; the scratch gets new storage on its next use.
        writeRaw(ciphertextScratch)
    }

    /// Encrypts the backlog a slice at a time for as long as the socket takes all of it, and
    /// stops as soon as the kernel leaves bytes in the queue (the next EPOLLOUT goes on). The
    /// peer decrypts the first records while we encrypt the next, and at most one slice of
    /// ciphertext waits in memory however large the response.
    private func encryptBacklog() {
        guard !backlog.isEmpty else { return }
        while queue.isEmpty && !isClosed, let slice = backlog.popFront(upTo: Self.encryptSliceBytes) {
            slice.withUnsafeBytes { encrypt($0) }
            sendOutbox()  // each slice is offered at once: the kernel's pace sets the next
        }
        // close() waits for the backlog: close_notify goes after the last record.
        if backlog.isEmpty && closeWhenFlushed && !isClosed {
            endTransform()
            sendOutbox()
        }
    }

    /// Holds bytes for the loop's next flush, or, while the kernel is behind, queues them behind
    /// what waits.
    private func writeRaw(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !isClosed else { return }
        if !queue.isEmpty {
            bytes.withUnsafeBytes { queue.append($0) }
            // Behind a batch of shared bytes held for more: this write ends the batch.
            if heldForMore { heldForMore = false; sendQueuedNow() }
            return  // else EPOLLOUT interest and the write timer are already set
        }
        outbox.append(bytes)
        outboxBytes += bytes.count
        if outboxBytes >= Self.outboxLimitBytes {
            sendOutbox()
        } else if !awaitingFlush {
            awaitingFlush = true
            loop.flushAtEndOfTurn(self)
        }
    }

    /// Sends what was written since the last flush (the loop calls this for each stream written to).
    func flushOutbox() {
        awaitingFlush = false
        guard !isClosed, !outbox.isEmpty else { return }
        sendOutbox()
        guard !isClosed, queue.isEmpty else { return }
        if !backlog.isEmpty {
            encryptBacklog()
            if !queue.isEmpty || isClosed { return }
        }
        // Everything went: a close waiting for it goes on.
        if closeWhenFlushed { finishCloseOrLinger() }
    }

    /// Offers the outbox to the kernel: one `send` for one array, else `writev` of up to 16 at
    /// a time, until all is taken or the socket is full. What is left is copied into the queue.
    private func sendOutbox() {
        guard !outbox.isEmpty, !isClosed else { return }
        defer {
            // The array's room is kept for the next flush, unless a burst (pipelining) made it large.
            outbox.removeAll(keepingCapacity: outbox.count <= 16)
            outboxBytes = 0
        }
        var index = 0  // the first array not wholly sent
        var offset = 0  // how much of it was
        while index < outbox.count {
            let count = min(outbox.count - index, 16)
            let n: Int
            if count == 1 {
                n = outbox[index].withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return 0 }
                    return cepoll_send(fd, base + offset, bytes.count - offset)
                }
            } else {
                var iovecs: [iovec] = []
                iovecs.reserveCapacity(count)
                n = TCPStream.withIOVecs(outbox[index..<(index + count)], skippingFirst: offset, &iovecs) { iovecs in
                    iovecs.withUnsafeBufferPointer { cepoll_writev(fd, $0.baseAddress, Int32($0.count)) }
                }
            }
            if n < 0 {
                let error = cepoll_errno()
                if error == EINTR { continue }
                if error == EAGAIN || error == EWOULDBLOCK { break }
                abort()
                return
            }
            loop.sendCalls += 1
            var cursor = SendCursor(index: index, offset: offset)
            cursor.advance(by: n, pieces: outbox.count) { outbox[$0].count }
            (index, offset) = (cursor.index, cursor.offset)
        }
        guard index < outbox.count else { return }
        noteWriteProgress()  // the queue starts to fill now
        for i in index..<outbox.count {
            outbox[i].withUnsafeBytes { bytes in
                queue.append(UnsafeRawBufferPointer(rebasing: bytes[(i == index ? offset : 0)...]))
            }
        }
        updateInterest()
        armWriteTimer()
    }

    /// Calls `body` with one iovec per array (the first `skip` bytes of the first left out),
    /// each pointing into its array for the duration of the call.
    private static func withIOVecs<R>(_ parts: ArraySlice<[UInt8]>, skippingFirst skip: Int, _ iovecs: inout [iovec],
                                      _ body: (inout [iovec]) -> R) -> R
    {
        guard let first = parts.first else { return body(&iovecs) }
        return first.withUnsafeBytes { bytes in
            iovecs.append(iovec(iov_base: bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0 + skip) },
                                iov_len: bytes.count - skip))
            return withIOVecs(parts.dropFirst(), skippingFirst: 0, &iovecs, body)
        }
    }

    private func flushQueue() {
        heldForMore = false
        let before = queue.byteCount
        let result = queue.flush(to: fd)
        if queue.byteCount < before { noteWriteProgress() }
        switch result {
        case .failed:
            abort()
        case .wouldBlock:
            break
        case .drained:
            if !backlog.isEmpty {
                encryptBacklog()
                if !queue.isEmpty || isClosed { return }  // the next EPOLLOUT goes on
            }
            updateInterest()
            if closeWhenFlushed {
                finishCloseOrLinger()
            } else {
                delegate?.streamDidDrain(self)
            }
        }
    }

    // MARK: write timeout

    private func noteWriteProgress() {
        if writeTimeoutMillis > 0 { lastWriteProgressMillis = MonotonicClock.nowMillis() }
    }

    /// One timer while bytes are queued; it re-arms itself for as long as writes make progress.
    private func armWriteTimer() {
        guard writeTimeoutMillis > 0, writeTimer == nil, !queue.isEmpty, !isClosed else { return }
        let due = lastWriteProgressMillis + writeTimeoutMillis
        let now = MonotonicClock.nowMillis()
        // `unowned`: the loop's registration keeps the stream alive until `finishClose`, which
        // cancels this timer.
        writeTimer = loop.schedule(afterMillis: due > now ? due - now : 0) { [unowned self] in
            self.writeTimer = nil
            self.writeTimerFired()
        }
    }

    private func writeTimerFired() {
        guard !isClosed, !queue.isEmpty else { return }
        if MonotonicClock.nowMillis() >= lastWriteProgressMillis + writeTimeoutMillis {
            abort()  // nothing written for the whole timeout: drop the queue and the connection
        } else {
            armWriteTimer()
        }
    }

    // MARK: reading

    /// Stops reading (back-pressure: a client that does not read our responses is not read either).
    public func pauseReading() {
        readingPaused = true
        updateInterest()
    }

    public func resumeReading() {
        readingPaused = false
        updateInterest()
    }

    private func updateInterest() {
        guard !isClosed else { return }
        var interest: UInt32 = 0
        if lingering || (!readingPaused && !closeWhenFlushed) { interest |= EventLoop.readable }
        if !queue.isEmpty { interest |= EventLoop.writable }
        loop.setInterest(fd: fd, interest)
    }

    public func handleEvents(_ events: UInt32) {
        if events & EventLoop.writable != 0 {
            flushQueue()
        }
        if isClosed { return }
        if events & (EventLoop.readable | EventLoop.hangup) != 0 && !readingPaused {
            readAvailable()
        } else if events & EventLoop.hangup != 0 {
            abort()
        }
    }

    /// The buffer the bytes just delivered were read into, now the caller's to keep (the next
    /// read goes into a new one), or nil: the bytes are not in this stream's own buffer (TLS
    /// plaintext, bytes held over from an earlier read), or cover less than half of it (keeping
    /// it would hold more memory than bytes). Only during `streamDidRead`.
    public func keepReadBuffer(holding bytes: UnsafeRawBufferPointer) -> ReadBuffer? {
        guard let buffer = ownReadBuffer, bytes.count * 2 >= buffer.capacity, buffer.offset(of: bytes) != nil else {
            return nil
        }
        ownReadBuffer = nil
        return buffer
    }

    /// This stream's own buffer for the next read, while its delegate may keep what it reads
    /// (nil: the read goes into the loop's).
    private func ownReadTarget() -> ReadBuffer? {
        guard keepableReadBytes > 0, transform == nil else { return nil }
        let buffer = ownReadBuffer ?? ReadBuffer(capacity: keepableReadBytes)
        ownReadBuffer = buffer
        return buffer
    }

    private func readAvailable() {
        if lingering {
            discardUntilEOF(loop.readBuffer)
            return
        }
        // A few reads per turn at most, so one busy upload cannot starve the loop's other connections.
        for _ in 0..<4 {
            guard !isClosed, !readingPaused else { return }
            // Asked again each time: the delegate may have kept the last one.
            let own = ownReadTarget()
            let buffer = own?.storage ?? loop.readBuffer
            guard let base = buffer.baseAddress else { return }
            let n = Glibc.read(fd, base, buffer.count)
            if n > 0 {
                // Alive until the delegate is done, even if it stops keepable reads meanwhile.
                withExtendedLifetime(own) { deliver(UnsafeRawBufferPointer(start: base, count: n)) }
                if n < buffer.count { return }
            } else if n == 0 {
                abort()
                return
            } else {
                let error = cepoll_errno()
                if error == EINTR { continue }
                if error != EAGAIN && error != EWOULDBLOCK { abort() }
                return
            }
        }
    }

    private func discardUntilEOF(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        for _ in 0..<16 {
            let n = Glibc.read(fd, base, buffer.count)
            if n > 0 { continue }
            if n < 0 && (cepoll_errno() == EAGAIN || cepoll_errno() == EWOULDBLOCK || cepoll_errno() == EINTR) { return }
            finishClose()
            return
        }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer) {
        guard let transform else {
            delegate?.streamDidRead(self, bytes)
            return
        }
        plaintextScratch.removeAll(keepingCapacity: true)
        let open: Bool
        do {
            open = try transform.inbound(bytes, plaintext: &plaintextScratch)
        } catch {
            sendTransformPending()
            close()
            return
        }
        sendTransformPending()
        if !plaintextScratch.isEmpty {
            let plaintext = plaintextScratch
            plaintext.withUnsafeBytes { delegate?.streamDidRead(self, $0) }
        }
        if !open { close() }
    }

    private func sendTransformPending() {
        guard let transform else { return }
        ciphertextScratch.removeAll(keepingCapacity: true)
        transform.takePending(into: &ciphertextScratch)
        if !ciphertextScratch.isEmpty { writeRaw(ciphertextScratch) }
    }

    // MARK: closing

    /// Closes after everything queued has been written.
    ///
    /// `lingerMillis` > 0 is for a response sent before the request was read to its end (413,
    /// 415): closing at once with unread bytes makes the kernel send a reset, which can destroy
    /// the response before the client reads it. So the write side is shut, and what the client
    /// still sends is read and dropped until it closes or the time is up.
    public func close(lingerMillis: UInt64 = 0) {
        guard !isClosed, !closeWhenFlushed else { return }
        self.lingerMillis = lingerMillis
        closeWhenFlushed = true
        if backlog.isEmpty { endTransform() }  // else once the backlog is out (encryptBacklog)
        sendOutbox()  // what was written goes first, not at the loop's flush
        if isClosed { return }
        if queue.isEmpty {
            finishCloseOrLinger()
        } else {
            updateInterest()
        }
    }

    /// Queues the transform's goodbye (TLS close_notify).
    private func endTransform() {
        guard let transform else { return }
        transform.shutdown()
        sendTransformPending()
    }

    private func finishCloseOrLinger() {
        guard lingerMillis > 0, !lingering else {
            if !lingering { finishClose() }
            return
        }
        lingering = true
        Glibc.shutdown(fd, Int32(SHUT_WR))
        updateInterest()
        loop.schedule(afterMillis: lingerMillis) { [weak self] in self?.finishClose() }
    }

    /// Closes at once, dropping whatever is queued.
    public func abort() {
        guard !isClosed else { return }
        outbox.removeAll()
        outboxBytes = 0
        queue.removeAll()
        backlog.removeAll()
        finishClose()
    }

    private func finishClose() {
        guard !isClosed else { return }
        isClosed = true
        if let writeTimer { loop.cancelTimer(writeTimer) }
        writeTimer = nil
        outbox.removeAll()
        outboxBytes = 0
        queue.removeAll()
        backlog.removeAll()
        loop.deregister(fd: fd)
        Glibc.close(fd)
        let delegate = self.delegate
        self.delegate = nil
        transform = nil
        delegate?.streamDidClose(self)
        onClose?()
    }
}

