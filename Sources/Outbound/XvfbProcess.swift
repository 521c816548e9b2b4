import CEpoll
import Glibc

/// Debian's `Xvfb` on a free display, for a headed browser on a machine without a screen
/// (`--xvfb`). A `TiedProcess`: it stops with lens-gpt, also after a crash.
public final class XvfbProcess: Sendable {
    public let process: TiedProcess
    /// e.g. `:99`, for the browser's `DISPLAY`.
    public let display: String

    public typealias StartError = TiedProcess.StartError

    /// Starts `Xvfb` with a screen of `width`×`height`; Xvfb picks the first free display
    /// itself (`-displayfd`), so two instances never race for one. `timeoutMillis` bounds the
    /// wait for the display number (generous: the machine may be busy).
    public init(executable: String = "Xvfb", width: Int = 1920, height: Int = 1080, logPath: String? = nil,
                pidDirectory: String? = nil, timeoutMillis: Int = 30_000) throws(StartError)
    {
        guard let path = ChromeDriverProcess.find(executable) else {
            throw StartError(description: "\(executable) is not on PATH (Debian: apt-get install xvfb)")
        }
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw StartError(description: "cannot make a pipe for Xvfb's display number")
        }
        defer { close(ends[0]) }
        let started: TiedProcess
        do {
            started = try TiedProcess.start([path, "-displayfd", "\(TiedProcess.passedDescriptor)", "-screen", "0", "\(width)x\(height)x24", "-nolisten", "tcp"],
                                            logPath: logPath, pidDirectory: pidDirectory, passing: ends[1])
        } catch {
            close(ends[1])
            throw error
        }
        close(ends[1])
        // The display number arrives as a line once the server listens.
        var text = ""
        let deadline = TiedProcess.nowMillis() + timeoutMillis
        var byte: UInt8 = 0
        while !text.hasSuffix("\n") {
            let left = deadline - TiedProcess.nowMillis()
            var waiting = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&waiting, 1, Int32(left)) == 1, read(ends[0], &byte, 1) == 1 else {
                started.stop(graceMillis: 0)
                throw StartError(description: "Xvfb did not report a display within \(timeoutMillis) ms")
            }
            text.append(Character(Unicode.Scalar(byte)))
        }
        guard let number = Int(text.filter(\.isNumber)) else {
            started.stop(graceMillis: 0)
            throw StartError(description: "Xvfb reported no display number: \(text)")
        }
        process = started
        display = ":\(number)"
    }

    public func stop() { process.stop() }
}
