import Testing
@testable import EventLoop

/// Upload read buffers are made on a loop and freed on a queue; their memory is reused through
/// a bounded pool rather than handed back to malloc (which fragmented and grew).
@Suite struct ReadBufferPoolTests {
    @Test func freedMemoryIsReusedForTheSameSizeOnly() {
        let pool = ReadBufferPool(limit: 2)
        let first = pool.take(4096)
        let address = first.baseAddress
        pool.give(first)
        let other = pool.take(8192)
        #expect(other.baseAddress != address, "a spare of another size is not handed out")
        let again = pool.take(4096)
        #expect(again.baseAddress == address, "the spare is reused")
        #expect(again.count == 4096)
        let fresh = pool.take(4096)
        #expect(fresh.baseAddress != address, "a spare is handed out once")
        pool.give(again)
        pool.give(fresh)
        pool.give(other)  // over the limit: freed, not held
        #expect(pool.spareCount == 2)
    }
}
