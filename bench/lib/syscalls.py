"""System calls per request: `strace -c` attached to every thread of a running server (nginx's
worker included) while wrk sends keep-alive requests. Tracing slows the server down, so the
rate under strace means nothing; the count per request is what does not drift between machines."""
import os
import re
import shutil
import signal
import subprocess
import time

import procstat
import wrk


def available():
    return shutil.which("strace") is not None


def _threads(pid):
    tids = []
    for p in procstat.tree(pid):
        try:
            tids += [int(t) for t in os.listdir(f"/proc/{p}/task")]
        except OSError:
            pass
    return tids


def per_request(server, url, connections, seconds, scratch):
    """{syscalls_per_request, syscall_breakdown} over one wrk run, or {} when strace is missing."""
    if not available():
        return {}
    out = os.path.join(scratch, f"strace-{server.name}.txt")
    argv = ["strace", "-c", "-o", out]
    tids = _threads(server.pid)
    for tid in tids:
        argv += ["-p", str(tid)]
    tracer = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # strace says "Process N attached" for each thread; wait for all of them, bounded.
    deadline = time.monotonic() + 10
    attached = 0
    while attached < len(tids) and time.monotonic() < deadline:
        line = tracer.stderr.readline()
        if not line:
            break
        attached += "attached" in line
    r = wrk.run(server, url, connections, seconds)
    tracer.send_signal(signal.SIGINT)
    tracer.wait(timeout=30)
    calls, breakdown = 0, {}
    with open(out) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 5 and re.match(r"^\d+\.\d+$", fields[0]) and fields[-1] != "total":
                count = int(fields[3])
                breakdown[fields[-1]] = count
            if fields and fields[-1] == "total":
                calls = int(fields[3])
    requests = max(1, r["requests"])
    top = sorted(breakdown.items(), key=lambda kv: -kv[1])[:4]
    # The event wait is shared by every request its wake-up serves (more per call the busier
    # the server), and setting a connection up or down happens once for all its keep-alive
    # requests: both are in the total, and left out of the per-request figure.
    shared = ("epoll_wait", "epoll_pwait", "epoll_ctl", "accept", "accept4", "setsockopt", "getsockopt",
              "getpeername", "getsockname", "close", "fcntl", "ioctl", "shutdown")
    waits = sum(count for name, count in breakdown.items() if name in shared)
    return {
        "syscalls_per_request": calls / requests,
        "io_syscalls_per_request": (calls - waits) / requests,
        "syscall_breakdown": ", ".join(f"{name} {count / requests:.2f}" for name, count in top),
    }
