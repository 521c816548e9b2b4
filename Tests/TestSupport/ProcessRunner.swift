import Foundation

/// Runs a command line tool to completion (for test fixtures), with a deadline.
package enum ProcessRunner {
    package struct Output {
        package let status: Int32
        package let stdout: String
        package let stderr: String

        package init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    package static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` and waits for it, reading its output as it comes so it never blocks on a
    /// full pipe. Throws if it is still running after `timeout` seconds (and kills it).
    @discardableResult
    package static func run(_ tool: String, _ arguments: [String], timeout: Double = 60) throws -> Output {
        let running = try RunningProcess(tool, arguments, stdin: [])
        while !running.finished {
            try running.pumpOutput(timeoutMilliseconds: running.remainingMilliseconds(deadline: timeout))
            if running.elapsed > timeout {
                running.kill()
                throw TestFailure("\(tool) \(arguments.joined(separator: " ")) timed out")
            }
        }
        let output = running.waitForExit()
        guard output.status == 0 else {
            throw TestFailure("\(tool) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output
    }
}

/// A child process whose stdout/stderr are read through `poll`, so a test can serve a socket
/// and watch the child in one single-threaded loop.
package final class RunningProcess {
    private let process = Process()
    private let outPipe = Pipe()
    private let errPipe = Pipe()
    private var out: [UInt8] = []
    private var err: [UInt8] = []
    package private(set) var outOpen = true
    package private(set) var errOpen = true
    private let started = Date()

    package init(_ tool: String, _ arguments: [String], stdin: [UInt8]) throws {
        guard let path = tool.hasPrefix("/") ? tool : ProcessRunner.which(tool) else {
            throw TestFailure("\(tool) not found")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let inPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // Small enough for the pipe buffer; closing it is the child's EOF on stdin.
        if !stdin.isEmpty { inPipe.fileHandleForWriting.write(Data(stdin)) }
        try inPipe.fileHandleForWriting.close()
    }

    package var elapsed: Double { Date().timeIntervalSince(started) }
    package var finished: Bool { !outOpen && !errOpen }
    package var stdoutFD: Int32 { outPipe.fileHandleForReading.fileDescriptor }
    package var stderrFD: Int32 { errPipe.fileHandleForReading.fileDescriptor }

    package func remainingMilliseconds(deadline: Double) -> Int32 {
        Int32(max(0, min(1000, (deadline - elapsed) * 1000)))
    }

    /// Polls the child's output for up to `timeoutMilliseconds` and reads what is there.
    package func pumpOutput(timeoutMilliseconds: Int32) throws {
        var fds: [pollfd] = []
        if outOpen { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
        if errOpen { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
        guard !fds.isEmpty else { return }
        let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        if ready < 0 && errno != EINTR { throw TestFailure("poll: \(String(cString: strerror(errno)))") }
        for entry in fds where entry.revents != 0 { readAvailable(fd: entry.fd) }
    }

    /// Reads once from `fd` if it is one of the child's outputs.
    package func readAvailable(fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if fd == stdoutFD {
            if count > 0 { out += buffer[0..<count] } else { outOpen = false }
        } else if fd == stderrFD {
            if count > 0 { err += buffer[0..<count] } else { errOpen = false }
        }
    }

    package func kill() {
        if process.isRunning { process.terminate() }
    }

    /// Call after `finished`: the child closed its outputs, so it is exiting.
    package func waitForExit() -> ProcessRunner.Output {
        process.waitUntilExit()
        return ProcessRunner.Output(status: process.terminationStatus,
                                    stdout: String(decoding: out, as: UTF8.self),
                                    stderr: String(decoding: err, as: UTF8.self))
    }
}
