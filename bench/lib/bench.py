"""bench/run's driver: starts each server fresh for each measurement, rounds interleaved
(A B C A B C ...), and writes bench/RESULTS.md and bench/results.json.

Usage (through bench/run): bench.py --root DIR --work DIR [--quick] [--rounds N] [--only NAME ...]"""
import argparse
import json
import os
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
import traceback

import measurements
import report
import servers


class Settings:
    def __init__(self, quick):
        self.quick = quick
        self.wrk_seconds = 3 if quick else 8
        self.warmup_seconds = 1 if quick else 2
        self.streams = 1000 if quick else 10000
        self.hold_seconds = 2.5 if quick else 3.5
        self.subscribers = 1000
        self.small_uploads, self.big_uploads = (10, 4) if quick else (30, 10)
        self.tls_seconds = 2 if quick else 5
        self.pipeline_runs = 5 if quick else 20
        self.fanout_seconds = 3.5 if quick else 6.5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--servers", help="comma-separated subset of servers")
    args = parser.parse_args()

    # Stopped from outside: unwind so every server started so far is stopped (finally blocks).
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))

    # 10,000 streams need 10,000 descriptors on each side; the hard limit is the bound.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    settings = Settings(args.quick)
    rounds = args.rounds or (1 if args.quick else 3)
    catalog = make_catalog(args.root, args.work)

    selected = [m for m in measurements.all_measurements() if not args.only or m.name in args.only]
    only_servers = set(args.servers.split(",")) if args.servers else None
    started = time.time()
    load_before = os.getloadavg()[0]
    results = {}
    for m in selected:
        names = [s for s in m.servers if not only_servers or s in only_servers]
        per_server = {s: [] for s in names}
        for r in range(rounds):
            for name in names:
                print(f"[{time.time() - started:6.0f}s] {m.name} round {r + 1}/{rounds}: {name}", flush=True)
                per_server[name].append(measure_once(catalog, m, name, settings))
        results[m.name] = {"title": m.title, "note": m.note, "servers": summarise(m, per_server)}

    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "rounds": rounds,
        "quick": args.quick,
        "seconds": round(time.time() - started),
        # Other work on the machine shows here; interleaving spreads it, it does not remove it.
        "load_average_1m": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
        "machine": machine(),
        "versions": versions(catalog),
    }
    out = {"meta": meta, "measurements": results}
    json_path = os.path.join(args.root, "bench/results.json")
    md_path = os.path.join(args.root, "bench/RESULTS.md")
    if args.quick or args.only or only_servers:
        # A smoke or partial run must not replace the full results: it stays in the scratch dir.
        json_path = os.path.join(args.work, "results.json")
        md_path = os.path.join(args.work, "RESULTS.md")
    with open(json_path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    with open(md_path, "w") as f:
        f.write(report.markdown(out, selected))
    print(f"wrote {md_path} and {json_path} in {meta['seconds']}s")


def make_catalog(root, work):
    catalog = servers.Catalog(
        root=root, work=os.path.join(work, "runs"),
        lens_binary=os.path.join(root, ".build/release/lens-gpt"),
        hummingbird_binary=os.path.join(root, "bench/peers/peer-hummingbird/.build/release/peer-hummingbird"),
        flyingfox_binary=os.path.join(root, "bench/peers/peer-flyingfox/.build/release/peer-flyingfox"),
        cert=os.path.join(work, "cert/cert.pem"), key=os.path.join(work, "cert/key.pem"),
        web=os.path.join(work, "web"))
    os.makedirs(catalog.work, exist_ok=True)
    return catalog


def measure_once(catalog, m, name, settings):
    server = None
    try:
        server = catalog.start(name, **m.server_options)
        return m.run(server, settings)
    except Exception as error:  # one failed run is reported, not fatal to the others
        traceback.print_exc()
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        if server:
            server.stop()


def summarise(m, per_server):
    summary = {}
    for name, runs in per_server.items():
        entry = {"rounds": runs}
        good = [r for r in runs if "error" not in r and "not_measured" not in r]
        reasons = [r.get("not_measured") or r.get("error") for r in runs if r not in good]
        if not good:
            first = runs[0] if runs else {}
            entry["not_measured"] = first.get("not_measured") or f"failed: {first.get('error', 'no run')}"
        else:
            entry["figures"] = {}
            for f in m.figures:
                values = [r[f.key] for r in good if r.get(f.key) is not None]
                if values:
                    entry["figures"][f.key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
            for key in good[0]:
                if key not in entry["figures"] and isinstance(good[0][key], (str, bool)):
                    entry.setdefault("notes", {})[key] = good[0][key]
            if reasons:
                entry["failed_rounds"] = reasons
        summary[name] = entry
    return summary


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "kernel": platform.release(), "fd_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[1]}


def versions(catalog):
    def first_line(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except Exception:
            return "unknown"
    def version(argv, pattern):
        found = re.search(pattern, first_line(argv))
        return found.group(1) if found else "unknown"
    return {
        "nginx": version(["nginx", "-v"], r"nginx/(\S+)"),
        "wrk": version(["wrk", "-v"], r"wrk (\S+)"),
        "swift": version(["swift", "--version"], r"Swift version (\S+)"),
        "openssl": version(["openssl", "version"], r"OpenSSL (\S+)"),
        "lens-gpt": first_line(["git", "-C", catalog.root, "log", "-1", "--format=%h"]),
        "hummingbird": "2.28.1",
        "flyingfox": "0.27.1",
    }


if __name__ == "__main__":
    sys.exit(main())
