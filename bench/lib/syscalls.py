"""System calls per request: `strace -f` attached to every thread of a running server (nginx's
worker included) while a fixed number of keep-alive requests is sent (keepalive.py), so no
request is in flight when the count is taken. Tracing slows the server down, so no rate is taken
here; the count per request is what does not drift between machines.

Each traced call is put in one of three groups:
- the request path: what every keep-alive request costs (reads that returned data or EAGAIN,
  sends, the request log's writes);
- connection set-up and teardown, once per connection however many requests it carries:
  accept, close, socket options, epoll registration, and the read that returned 0 (the peer's end);
- the event wait, shared by every request a wake-up serves (more per call the busier the server).
`io_syscalls_per_request` is the request path alone; `syscalls_per_request` is everything."""
import collections
import os
import re
import shutil
import signal
import subprocess
import time

import keepalive
import procstat

CONNECTION_CALLS = {"accept", "accept4", "close", "shutdown", "setsockopt", "getsockopt", "getpeername",
                    "getsockname", "fcntl", "ioctl", "epoll_ctl"}
WAIT_CALLS = {"epoll_wait", "epoll_pwait", "epoll_pwait2"}
READ_CALLS = {"read", "recvfrom", "recvmsg", "readv"}

# "1234  read(7, ""..., 65536) = 78" / "1234  <... read resumed>""..., 65536) = 78"
_CALL = re.compile(r"^\d+\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()")
_RESULT = re.compile(r"\) += (-?\d+|\?)")


def available():
    return shutil.which("strace") is not None


def classify(lines):
    """Counter of (group, call name) over strace -f output lines; a call split by another
    thread's ("unfinished ... resumed") is counted once, at its end, where its result is."""
    counts = collections.Counter()
    for line in lines:
        m = _CALL.match(line)
        if not m or line.rstrip().endswith("<unfinished ...>"):
            continue
        name = m.group(1) or m.group(2)
        result = _RESULT.search(line)
        if name in WAIT_CALLS:
            group = "wait"
        elif name in CONNECTION_CALLS or (name in READ_CALLS and result and result.group(1) == "0"):
            group = "connection"
        else:
            group = "request"
        counts[(group, name)] += 1
    return counts


def per_request(server, port, path, connections, per_connection, scratch):
    """{syscalls_per_request, io_syscalls_per_request, syscall_breakdown} over
    connections × per_connection keep-alive requests, or {} when strace is missing."""
    if not available():
        return {}
    out = os.path.join(scratch, f"strace-{server.name}.txt")
    argv = ["strace", "-f", "-s", "0", "-o", out]
    # -f with each process of the server (nginx's master and worker): strace attaches to all
    # of a process's threads, and to any started while tracing.
    pids = procstat.tree(server.pid)
    for pid in pids:
        argv += ["-p", str(pid)]
    tracer = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_attached(tracer, len(pids))
    try:
        requests = keepalive.run(port, path, connections, per_connection)
        # The server's last closes come after the client's; give them a moment to be traced.
        _wait_quiet(out)
    finally:
        tracer.send_signal(signal.SIGINT)
        tracer.wait(timeout=30)
    with open(out) as f:
        counts = classify(f)
    total = sum(counts.values())
    on_path = {name: n for (group, name), n in counts.items() if group == "request"}
    top = sorted(on_path.items(), key=lambda kv: -kv[1])[:4]
    per_connection_calls = sum(n for (group, _), n in counts.items() if group == "connection")
    waits = sum(n for (group, _), n in counts.items() if group == "wait")
    return {
        "syscall_requests": requests,
        "syscalls_per_request": total / requests,
        "io_syscalls_per_request": sum(on_path.values()) / requests,
        "syscall_breakdown": ", ".join(f"{name} {n / requests:.3f}" for name, n in top)
                             + f"; per connection {per_connection_calls / connections:.1f}"
                             + f"; epoll waits {waits / requests:.3f}/req",
    }


def _wait_attached(tracer, processes):
    """strace says "Process N attached [with M threads]" for each process; wait for all of them
    (a missing line would block the read: strace then failed, and its exit ends the read)."""
    attached = 0
    while attached < processes:
        line = tracer.stderr.readline()
        if not line:
            raise RuntimeError("strace exited before attaching")
        attached += "attached" in line


def _wait_quiet(out):
    """Until the trace file stops growing for 200 ms (bounded at 5 s)."""
    deadline = time.monotonic() + 5
    size = -1
    while time.monotonic() < deadline:
        now = os.path.getsize(out)
        if now == size:
            return
        size = now
        time.sleep(0.2)
