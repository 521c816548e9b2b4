"""Runs wrk against a server and reads its summary (bench/lib/wrk-report.lua) plus the
server's CPU time over the same interval."""
import json
import os
import subprocess

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk-report.lua")


def run(server, url, connections, seconds, headers=()):
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", SCRIPT]
    for h in headers:
        argv += ["-H", h]
    argv.append(url)
    cpu_before = server.cpu_seconds()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    cpu = server.cpu_seconds() - cpu_before
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {out.stdout[-400:]} {out.stderr[-400:]}")
    r = json.loads(line[len("WRK_JSON "):])
    secs = r["duration_us"] / 1e6
    return {
        "rate": r["requests"] / secs,
        "bytes_per_s": r["bytes"] / secs,
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "errors": r["errors"] + r["status_errors"],
        "requests": r["requests"],
        "cpu_us_per_request": cpu / max(1, r["requests"]) * 1e6,
        "server_cores": cpu / secs,
    }
