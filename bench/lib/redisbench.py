"""Scale-out figures: lens-gpt with its results in Redis, two gateways on this machine, beside
the single-process (SQLite) figures measured the same way in the same run.

- fan-out: one running result (the `tick` stage), 1,000 subscribers split evenly over the
  gateways (one client process per gateway, so the Python clients do not share a core's GIL),
  delay from the tick's put time to its receipt, p50/p99 over both gateways' subscribers;
- idle SSE RSS per stream on one gateway of the Redis store (RSS with every stream open minus
  before, divided by the streams).

Writes bench/RESULTS-redis.md and bench/results-redis.json (or only the run directory with --quick)."""
import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import lensapi  # noqa: E402
import png  # noqa: E402
import servers  # noqa: E402
import streams  # noqa: E402


def start_redis(work):
    port = servers.free_port()
    directory = os.path.join(work, "redis")
    os.makedirs(directory, exist_ok=True)
    argv = [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
            "--dir", directory, "--appendonly", "yes", "--save", "", "--protected-mode", "no",
            "--logfile", os.path.join(directory, "redis.log")]
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
            return process, port
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def start_gateway(binary, work, name, store=None):
    scratch = os.path.join(work, name)
    os.makedirs(scratch, exist_ok=True)
    port = servers.free_port()
    argv = [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", os.path.join(scratch, "data"),
            "--web-dir", scratch, "--loops", "2", "--log-level", "warning", "--idle-timeout-ms", "300000",
            "--heartbeat-ms", "1000", "--uploads-per-minute", "0", "--no-browser",
            "--synthetic-stage-ms", str(3600 * 1000)]
    if store:
        argv += ["--store", store]
    return servers.Server(name, argv, port, log_path=os.path.join(scratch, "server.log")).wait_ready()


def _hold(args):
    port, path, count, seconds = args
    return streams.hold(port, path, count, seconds, keep_delays=True)


def fan_out(gateways, result_id, subscribers, seconds):
    """Holds `subscribers` streams split over `gateways`, each share from its own process."""
    path = f"/results/{result_id}/events"
    shares = [subscribers // len(gateways) + (1 if i < subscribers % len(gateways) else 0) for i in range(len(gateways))]
    with multiprocessing.Pool(len(gateways)) as pool:
        results = pool.map(_hold, [(g.port, path, n, seconds) for g, n in zip(gateways, shares)])
    delays = sorted(d for r in results for d in r.get("delays_ns", []))
    return {
        "subscribers": sum(r["opened"] for r in results),
        "receiving": sum(r.get("receiving", 0) for r in results),
        "samples": len(delays),
        "p50_ms": streams.percentile(delays, 50) / 1e6 if delays else None,
        "p99_ms": streams.percentile(delays, 99) / 1e6 if delays else None,
        "max_ms": delays[-1] / 1e6 if delays else None,
    }


def idle_rss(gateway, result_id, count, seconds):
    before = gateway.rss_kib()
    r = streams.hold(gateway.port, f"/results/{result_id}/events", count, seconds, on_held=gateway.rss_kib)
    if not r["opened"] or r["held"] is None:
        return {"error": f"no stream opened ({r['failed']} failed)"}
    return {"streams": r["opened"], "rss_per_stream_kib": (r["held"] - before) / r["opened"],
            "receiving": r.get("receiving", 0)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--binary")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    binary = args.binary or os.path.join(args.root, ".build/release/lens-gpt")
    os.makedirs(args.work, exist_ok=True)
    subscribers, fan_seconds = 1000, (5 if args.quick else 10)
    idle_streams, idle_seconds = (1000, 3) if args.quick else (5000, 5)
    image = png.PNG(1024)
    results = {"subscribers": subscribers, "idle_streams": idle_streams}

    # Single process, SQLite store: the figure to stand beside.
    single = start_gateway(binary, args.work, "single")
    try:
        rid, _ = lensapi.upload_json(single.port, image, "single")
        time.sleep(1.5)  # the first tick is out: every subscriber then sees live ones only
        results["single_fan_out"] = fan_out([single], rid, subscribers, fan_seconds)
    finally:
        single.stop()
    single = start_gateway(binary, args.work, "single-idle")
    try:
        rid, _ = lensapi.upload_json(single.port, image, "single-idle")
        results["single_idle"] = idle_rss(single, rid, idle_streams, idle_seconds)
    finally:
        single.stop()

    # Two gateways on one Redis: upload to A, subscribers on A and B.
    redis, redis_port = start_redis(args.work)
    store = f"redis://127.0.0.1:{redis_port}"
    try:
        a = start_gateway(binary, args.work, "gateway-a", store)
        b = start_gateway(binary, args.work, "gateway-b", store)
        try:
            rid, _ = lensapi.upload_json(a.port, image, "redis")
            time.sleep(1.5)
            results["redis_fan_out"] = fan_out([a, b], rid, subscribers, fan_seconds)
        finally:
            a.stop()
            b.stop()
        a = start_gateway(binary, args.work, "gateway-idle", store)
        try:
            rid, _ = lensapi.upload_json(a.port, image, "redis-idle")
            results["redis_idle"] = idle_rss(a, rid, idle_streams, idle_seconds)
        finally:
            a.stop()
    finally:
        redis.terminate()
        redis.wait(timeout=10)

    results["binary"] = os.path.relpath(binary, args.root)
    report = render(results)
    print(report)
    out_dir = args.work if args.quick else os.path.join(args.root, "bench")
    with open(os.path.join(out_dir, "RESULTS-redis.md"), "w") as f:
        f.write(report)
    with open(os.path.join(out_dir, "results-redis.json"), "w") as f:
        json.dump(results, f, indent=2)


def render(r):
    def ms(v):
        return "–" if v is None else f"{v:.2f}"

    def fan(x):
        return f"{x['subscribers']:,} | {x['receiving']:,} | {ms(x['p50_ms'])} | {ms(x['p99_ms'])} | {ms(x['max_ms'])} | {x['samples']:,}"

    def idle(x):
        return f"{x.get('streams', 0):,} | {x.get('rss_per_stream_kib', float('nan')):.1f}" if "error" not in x else x["error"]

    return f"""# Scale-out: the Redis store, two gateways

`bench/redis` (also run at the end of `bench/run`), binary `{r['binary']}`: `--synthetic-stage-ms` keeps one
result running with a `tick` event a second stamped with its put time; subscribers are
`GET /results/{{id}}/events`. Redis mode: redis-server on loopback, gateways A and B with
`--store redis://…`, the upload on A, the subscribers split evenly over A and B (one client
process each); every tick goes A → Redis Stream → each gateway's one reader → its subscribers.
All on one 2-core machine (Redis, both gateways and the clients share it).

## Fan-out: delay from put to receipt

| setup | subscribers | receiving | p50 ms | p99 ms | max ms | samples |
|---|---|---|---|---|---|---|
| single process (SQLite store) | {fan(r['single_fan_out'])} |
| two gateways, Redis store | {fan(r['redis_fan_out'])} |

## Idle SSE streams: memory

| setup | streams | RSS KiB/stream |
|---|---|---|
| single process (SQLite store) | {idle(r['single_idle'])} |
| one gateway, Redis store | {idle(r['redis_idle'])} |
"""


if __name__ == "__main__":
    main()
