import Glibc

enum PipelineClock {
    static func wallSeconds() -> Int64 { Int64(time(nil)) }
}
