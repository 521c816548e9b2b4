/// A place in a list of byte pieces being sent: the first piece not wholly sent, and how much of
/// it was. Shared by the stream's outbox and its write queue, which both send lists of pieces.
struct SendCursor {
    var index = 0
    var offset = 0

    /// Moves past `count` bytes the kernel took; `length(i)` is piece i's size.
    mutating func advance(by count: Int, pieces: Int, length: (Int) -> Int) {
        var taken = count
        while taken > 0 && index < pieces {
            let rest = length(index) - offset
            if taken >= rest {
                taken -= rest
                index += 1
                offset = 0
            } else {
                offset += taken
                taken = 0
            }
        }
    }
}
