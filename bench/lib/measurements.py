"""What is measured. Each measurement names the servers it compares, the figures it reports
(the first is the headline, used for ratios) and a function that measures one server once.
A function gets a freshly started server and returns {figure: value}."""
import lensapi
import png
import streams
import wrk

# Servers in table order. Ratios are to nginx (the ceiling) and to Hummingbird (what a
# Swift user would pick instead).
NGINX, HUMMINGBIRD, FLYINGFOX, FLYINGFOX_NODELAY, LENS = (
    "nginx", "hummingbird", "flyingfox", "flyingfox-nodelay", "lens-gpt")
ALL_HTTP = [NGINX, HUMMINGBIRD, FLYINGFOX, FLYINGFOX_NODELAY, LENS]


class Figure:
    def __init__(self, key, label, fmt="{:,.0f}", better="higher"):
        self.key, self.label, self.fmt, self.better = key, label, fmt, better


class Measurement:
    def __init__(self, name, title, servers, figures, run, note="", server_options=None):
        self.name, self.title, self.servers, self.figures = name, title, servers, figures
        self.run, self.note = run, note
        self.server_options = server_options or {}


def rate(connections):
    def run(server, settings):
        # A short unmeasured run first, so allocators, page caches and connection pools are warm.
        wrk.run(server, f"http://127.0.0.1:{server.port}/healthz", connections, settings.warmup_seconds)
        return wrk.run(server, f"http://127.0.0.1:{server.port}/healthz", connections, settings.wrk_seconds)
    return run


RATE_FIGURES = [
    Figure("rate", "req/s"),
    Figure("p50_ms", "p50 ms", "{:.3f}", "lower"),
    Figure("p99_ms", "p99 ms", "{:.3f}", "lower"),
    Figure("cpu_us_per_request", "server CPU µs/req", "{:.1f}", "lower"),
    Figure("server_cores", "server cores", "{:.2f}", "lower"),
    Figure("errors", "errors", "{:,.0f}", "lower"),
]


def stream_path(server):
    """Where a server's live SSE stream is: the peers' /sse, lens-gpt's events of a running
    result (None when lens-gpt cannot keep one running)."""
    if server.name != LENS:
        return "/sse"
    if not server.options.get("tick_stage"):
        return None
    result_id, _ = lensapi.upload_json(server.port, png.PNG(1024), "stream")
    return f"/results/{result_id}/events"


def sse_capacity(server, settings):
    path = stream_path(server)
    if path is None:
        return {"not_measured": lensapi.NO_RUNNING_RESULT}
    before = server.rss_kib()
    r = streams.hold(server.port, path, settings.streams, settings.hold_seconds, on_held=server.rss_kib)
    if r["opened"] == 0:
        return {"error": f"no stream opened ({r['failed']} failed)"}
    return {
        "rss_per_stream_kib": (r["held"] - before) / r["opened"],
        "streams": r["opened"],
        "receiving": r["receiving"],
        "failed": r["failed"],
        "rss_mib": r["held"] / 1024,
        "setup_s": r["setup_s"],
    }


def idle_connections(server, settings):
    before = server.rss_kib()
    r = streams.hold(server.port, "/healthz", settings.streams, settings.hold_seconds, idle=True,
                     on_held=server.rss_kib)
    if r["opened"] == 0:
        return {"error": f"no connection opened ({r['failed']} failed)"}
    return {
        "rss_per_connection_kib": (r["held"] - before) / r["opened"],
        "connections": r["opened"],
        "answered_after_hold": r["answered_after_hold"],
        "failed": r["failed"],
        "rss_mib": r["held"] / 1024,
        "setup_s": r["setup_s"],
    }


def fan_out(server, settings):
    path = stream_path(server)
    if path is None:
        return {"not_measured": lensapi.NO_RUNNING_RESULT}
    cpu = server.cpu_seconds()
    r = streams.hold(server.port, path, settings.subscribers, settings.fanout_seconds)
    if "delay_p50_ms" not in r:
        return {"error": f"no tick received by {r['opened']} subscribers"}
    return {
        "delay_p99_ms": r["delay_p99_ms"],
        "delay_p50_ms": r["delay_p50_ms"],
        "delay_max_ms": r["delay_max_ms"],
        "subscribers": r["opened"],
        "receiving": r["receiving"],
        "samples": r["delay_samples"],
        "server_cpu_s": server.cpu_seconds() - cpu,
    }


def all_measurements():
    return [
        Measurement("rate-64", "GET /healthz, 64 connections (wrk -t1 -c64)", ALL_HTTP, RATE_FIGURES, rate(64)),
        Measurement("rate-1", "GET /healthz, 1 connection (wrk -t1 -c1)", ALL_HTTP, RATE_FIGURES, rate(1)),
        Measurement(
            "sse-idle", "Idle SSE streams held open (ticks every second)", [HUMMINGBIRD, FLYINGFOX, LENS],
            [Figure("rss_per_stream_kib", "RSS KiB/stream", "{:.1f}", "lower"),
             Figure("streams", "streams open"), Figure("receiving", "streams receiving"),
             Figure("failed", "failed"), Figure("rss_mib", "RSS MiB held", "{:.0f}", "lower"),
             Figure("setup_s", "open time s", "{:.1f}", "lower")],
            sse_capacity, server_options={"tick_stage": True},
            note="RSS per stream = (server RSS with every stream open − RSS before) ÷ streams. "
                 "`streams receiving` counts streams that got at least one frame during the hold "
                 "after all were open. Peers: `GET /sse`; lens-gpt: `GET /results/{id}/events` of a "
                 "running result."),
        Measurement(
            "idle-conn", "Idle keep-alive connections held open (one GET /healthz each)",
            [NGINX, HUMMINGBIRD, FLYINGFOX, LENS],
            [Figure("rss_per_connection_kib", "RSS KiB/connection", "{:.1f}", "lower"),
             Figure("connections", "connections open"), Figure("answered_after_hold", "answered after hold"),
             Figure("failed", "failed"), Figure("rss_mib", "RSS MiB held", "{:.0f}", "lower"),
             Figure("setup_s", "open time s", "{:.1f}", "lower")],
            idle_connections,
            note="The floor under an SSE stream's cost, and the one lens-gpt figure for held "
                 "connections while it cannot keep a result running. After the hold every "
                 "connection is asked again; `answered after hold` counts the 200s."),
        Measurement(
            "fan-out", "Fan-out: one producer, 1,000 subscribers, delay from put to receipt",
            [HUMMINGBIRD, FLYINGFOX, LENS],
            [Figure("delay_p99_ms", "p99 ms", "{:.2f}", "lower"), Figure("delay_p50_ms", "p50 ms", "{:.2f}", "lower"),
             Figure("delay_max_ms", "max ms", "{:.2f}", "lower"), Figure("receiving", "subscribers receiving"),
             Figure("samples", "samples"), Figure("server_cpu_s", "server CPU s", "{:.2f}", "lower")],
            fan_out, server_options={"tick_stage": True},
            note="The producer stamps each tick with the wall clock when it puts it; the client "
                 "stamps receipt when epoll returns. One tick a second for the hold."),
    ]


def median(results, measurement, server, key):
    entry = results.get(measurement, {}).get("servers", {}).get(server, {})
    return entry.get("figures", {}).get(key, {}).get("median")


class Goal:
    """One goal of the issue: `measure(results)` returns (text, met) or (reason, None)."""

    def __init__(self, label, measure):
        self.label, self.measure = label, measure

    def evaluate(self, results):
        try:
            return self.measure(results)
        except (TypeError, ZeroDivisionError):
            return "not in this run", None


def number(value):
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def ratio_goal(measurement, key, bound, at_most, what):
    def measure(results):
        lens, nginx = median(results, measurement, LENS, key), median(results, measurement, NGINX, key)
        if lens is None or nginx is None:
            return "not in this run", None
        r = lens / nginx
        return f"{r:.2f}× nginx ({number(lens)} vs {number(nginx)} {what})", (r <= bound if at_most else r >= bound)
    return measure


def absolute_goal(measurement, key, bound, at_most, unit, server=LENS):
    def measure(results):
        value = median(results, measurement, server, key)
        if value is None:
            entry = results.get(measurement, {}).get("servers", {}).get(server, {})
            return entry.get("not_measured", "not in this run"), None
        return f"{number(value)} {unit}", (value <= bound if at_most else value >= bound)
    return measure


def goals():
    return [
        Goal("request rate ≥ 0.8× nginx at 64 connections", ratio_goal("rate-64", "rate", 0.8, False, "req/s")),
        Goal("single-connection p50 ≤ 2× nginx's", ratio_goal("rate-1", "p50_ms", 2.0, True, "ms")),
    ]
