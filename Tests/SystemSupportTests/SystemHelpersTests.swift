import Dispatch
import Glibc
import Synchronization
import Testing
import SystemSupport

@Suite struct SystemHelpersTests {
    @Test func sha256AndHMACMatchTheirStandardVectors() {
        // FIPS 180-2 "abc"; RFC 4231 test case 2.
        #expect(SHA256Hasher.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HMACSHA256.hex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func sha256InPiecesEqualsSha256AtOnce() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        let hasher = SHA256Hasher()
        bytes[..<3_333].withUnsafeBytes { hasher.update($0) }
        bytes[3_333...].withUnsafeBytes { hasher.update($0) }
        #expect(hasher.finishHex() == SHA256Hasher.hex(bytes))
    }

    @Test func singleLineDropsCRLFAndNUL() {
        #expect(SingleLine.clean("a\r\nb\u{0}c") == "abc")
        #expect(SingleLine.clean("plain value") == "plain value")
        var out: [UInt8] = []
        SingleLine.append("x\ny", to: &out)
        #expect(out == Array("xy".utf8))
    }

    @Test func theMonotonicClockNeverGoesBackAndTheWallClockIsNow() {
        let first = MonotonicClock.nowNanos()
        let second = MonotonicClock.nowNanos()
        #expect(second >= first)
        #expect(MonotonicClock.nowMillis() >= first / 1_000_000)
        let wall = WallClock.nowMillis()
        #expect(abs(wall / 1_000 - Int64(time(nil))) <= 1)
    }

    @Test func aStartedThreadRunsItsClosureAndCanBeJoined() throws {
        let ran = Atomic<Int>(0)
        let thread = try SystemThread.start { ran.add(1, ordering: .relaxed) }
        pthread_join(thread, nil)
        #expect(ran.load(ordering: .relaxed) == 1)
    }

    @Test func aDetachedThreadRunsItsClosure() throws {
        let done = DispatchSemaphore(value: 0)
        try SystemThread.startDetached { done.signal() }
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test func aBlockedSignalIsTakenByWait() throws {
        // SIGUSR2, blocked on this thread only for the test, is delivered to it by pthread_kill.
        var old = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        SignalMask.block([SIGUSR2])
        pthread_kill(pthread_self(), SIGUSR2)
        #expect(SignalMask.wait(for: [SIGUSR2]) == SIGUSR2)
    }
}
