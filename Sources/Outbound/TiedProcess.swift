import CEpoll
import Glibc
import SystemSupport

/// A helper program (chromedriver, Xvfb) that cannot outlive lens-gpt, however lens-gpt ends.
///
/// It starts through a small `sh` that leads a process group of its own and leaves a background
/// reader holding the read end of a pipe (the lifeline) whose only write end stays in lens-gpt.
/// When lens-gpt exits — normally, by a crash or by `kill -9` — the kernel closes the write end,
/// the read sees end-of-file and the reader SIGKILLs the program and every browser it started.
///
/// Why not `PR_SET_PDEATHSIG` alone: it fires when the *thread* that spawned the child ends (the
/// pool's worker threads come and go), and it reaches only the direct child, not the browsers
/// chromedriver starts. The lifeline is tied to the process and covers the whole group.
///
/// A pid file per program in `pidDirectory` lets the next start clean up after a reader that was
/// itself killed: processes of an owner that is gone are killed, each found by the
/// `LENS_GPT_TIED` mark it inherited (never by name alone).
public struct TiedProcess: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The program's pid, which is also the process group of everything it started.
    public let pid: pid_t
    /// lens-gpt's end of the lifeline; closing it stops the group.
    let lifeline: Int32
    let pidFile: String?

    /// `sh -c SCRIPT lens-gpt-tied PROGRAM ARGS…`. The shell forks the lifeline reader, marks the
    /// program's environment with `LENS_GPT_TIED=OWNER:GROUP` (inherited by every browser process,
    /// also those that leave the group, such as Chromium's crash handler) and becomes the program,
    /// so `pid` is the program's own. The reader's sweep kills every marked process, then the group.
    static let script = """
        sweep() {
          for f in $(grep -lsxzF "LENS_GPT_TIED=$LENS_GPT_TIED_OWNER:$$" /proc/[0-9]*/environ); do
            p=${f#/proc/}; kill -KILL "${p%/environ}"
          done 2>/dev/null
          kill -KILL 0
        }
        (read -r _ <&9; sweep) &
        exec 9<&- </dev/null
        export LENS_GPT_TIED="$LENS_GPT_TIED_OWNER:$$"
        exec "$@"
        """
    static let marker = "lens-gpt-tied"
    static let ownerVariable = "LENS_GPT_TIED_OWNER"

    /// The number under which a `passing` descriptor reaches the program (the lifeline is 9).
    public static let passedDescriptor: Int32 = 8

    /// Starts `arguments` (the program first). `environment` entries are added to lens-gpt's own.
    /// `passing`: a descriptor of lens-gpt's handed to the program as `passedDescriptor` (e.g. for
    /// Xvfb's `-displayfd`).
    public static func start(_ arguments: [String], environment: [String: String] = [:], logPath: String?,
                             pidDirectory: String?, passing descriptor: Int32? = nil) throws(StartError) -> TiedProcess
    {
        guard let program = arguments.first else { throw StartError(description: "nothing to start") }
        var pipeEnds: [Int32] = [-1, -1]
        // Close-on-exec from birth (a socket pair: Glibc's module has no pipe2), so no other child
        // started meanwhile inherits lens-gpt's end and keeps the lifeline open.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pipeEnds) == 0 else {
            throw StartError(description: "cannot make a lifeline pipe: \(String(cString: strerror(errno)))")
        }
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
            close(pipeEnds[0])
        }
        // Own process group (so one signal reaches the browsers), default signal handling and an
        // empty mask: the server blocks SIGTERM in its threads and ignores SIGPIPE, and both are inherited.
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Sources moved above the targets first (close-on-exec), so no dup2 overwrites the other's source.
        let lifelineSource = fcntl(pipeEnds[0], F_DUPFD_CLOEXEC, 100)
        let passedSource = descriptor.map { fcntl($0, F_DUPFD_CLOEXEC, 100) }
        defer {
            close(lifelineSource)
            if let passedSource { close(passedSource) }
        }
        guard lifelineSource >= 0, passedSource.map({ $0 >= 0 }) ?? true else {
            close(pipeEnds[1])
            throw StartError(description: "cannot start \(program): out of file descriptors")
        }
        posix_spawn_file_actions_adddup2(&actions, lifelineSource, 9)  // dup2 clears close-on-exec
        if let passedSource { posix_spawn_file_actions_adddup2(&actions, passedSource, passedDescriptor) }

        var variables: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let name = text.prefix { $0 != "=" }
            if environment[String(name)] == nil && name != ownerVariable && name != "LENS_GPT_TIED" { variables.append(text) }
            index += 1
        }
        for (name, value) in environment { variables.append("\(name)=\(value)") }
        variables.append("\(ownerVariable)=\(getpid())")

        let argv = ["/bin/sh", "-c", script, marker] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else {
            close(pipeEnds[1])
            throw StartError(description: "cannot start \(program): \(String(cString: strerror(result)))")
        }
        var pidFile: String?
        if let pidDirectory {
            mkdir(pidDirectory, 0o700)
            let path = "\(pidDirectory)/\(pid).pid"
            if let file = fopen(path, "we") {
                fputs("\(getpid())\n", file)
                fclose(file)
                pidFile = path
            }
        }
        return TiedProcess(pid: pid, lifeline: pipeEnds[1], pidFile: pidFile)
    }

    /// Whether the program still runs (reaps it once it has exited).
    public var isAlive: Bool { TiedProcess.isAlive(pid) }

    /// SIGTERM to the group, SIGKILL after `graceMillis`, the lifeline closed (the reader sweeps
    /// what left the group), the program reaped.
    public func stop(graceMillis: Int = 2_000) {
        kill(-pid, SIGTERM)
        let deadline = TiedProcess.nowMillis() + graceMillis
        while TiedProcess.isAlive(pid) && TiedProcess.nowMillis() < deadline { usleep(10_000) }
        kill(-pid, SIGKILL)
        close(lifeline)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)  // SIGKILLed: returns at once (ECHILD if already reaped)
        if let pidFile { unlink(pidFile) }
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { return false }
        if reaped == -1 && errno == ECHILD { return kill(pid, 0) == 0 }
        return true
    }

    static func nowMillis() -> Int { Int(MonotonicClock.nowMillis()) }
}
