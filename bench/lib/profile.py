"""bench/profile's driver: runs one load against lens-gpt under `perf record` (cpu-clock: this
machine has no hardware counters) and writes the hottest symbols to the scratch dir.

Usage (through bench/profile): profile.py --root DIR --work DIR [LOAD ...]"""
import argparse
import os
import subprocess
import sys
import time

import measurements as M
import servers
from bench import Settings, make_catalog

# Load name -> (load, server options); the same functions bench/run measures with.
LOADS = {
    "rate-64": (lambda s, st: M.rate(64)(s, st), {}),
    "rate-64-1loop": (lambda s, st: M.rate(64)(s, st), {"loops": 1}),
    "rate-64-1loop-logged": (lambda s, st: M.rate(64)(s, st), {"loops": 1, "logging": True}),
    "rate-1": (lambda s, st: M.rate(1)(s, st), {}),
    "upload": (M.upload, {}),
    "tls-handshake": (M.tls_handshakes, {}),
    "tls-bulk": (M.tls_bulk, {}),
    "idle-conn": (M.idle_connections, {}),
    "sse-idle": (M.sse_capacity, {"tick_stage": True}),
    "fan-out": (M.fan_out, {"tick_stage": True}),
    "pipeline": (M.pipeline_runs, {}),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("loads", nargs="*", default=["rate-64", "upload", "tls-bulk", "tls-handshake"])
    args = parser.parse_args()
    catalog = make_catalog(args.root, args.work)
    settings = Settings(quick=False)
    for load in args.loads:
        run, options = LOADS[load]
        server = catalog.start(M.LENS, **options)
        data = os.path.join(args.work, f"{load}.perf")
        perf = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "2000", "--call-graph", "fp",
                                 "-p", str(server.pid), "-o", data],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            result = run(server, settings)
        finally:
            perf.send_signal(2)
            perf.wait()
            server.stop()
        sections = [("CPU by library", ["--no-children", "--sort", "dso"], 0.5),
                    ("Hottest functions (self)", ["--no-children", "--sort", "dso,symbol"], 0.7),
                    ("Hottest call paths (inclusive, with callees)", ["--children", "--sort", "symbol"], 3)]
        text = [f"{load}: {result}"]
        for title, options, limit in sections:
            text += ["", f"## {title}", perf_report(data, options, limit)]
        path = os.path.join(args.work, f"{load}.txt")
        with open(path, "w") as f:
            f.write("\n".join(text) + "\n")
        print(f"== {load}: {path}", flush=True)


def perf_report(data, options, limit):
    out = subprocess.run(["perf", "report", "-i", data, "--stdio", "-g", "none", "--percent-limit", str(limit)]
                         + options, capture_output=True, text=True).stdout
    lines = "\n".join(l.rstrip() for l in out.splitlines() if l.strip() and not l.startswith("#"))
    # Swift symbols are mangled in perf's output; the toolchain demangles them.
    demangled = subprocess.run(["swift", "demangle", "--simplified"], input=lines, capture_output=True, text=True)
    return demangled.stdout if demangled.returncode == 0 else lines


if __name__ == "__main__":
    sys.exit(main())
