"""What is measured. Each measurement names the servers it compares, the figures it reports
(the first is the headline, used for ratios) and a function that measures one server once.
A function gets a freshly started server and returns {figure: value}."""
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


def all_measurements():
    return [
        Measurement("rate-64", "GET /healthz, 64 connections (wrk -t1 -c64)", ALL_HTTP, RATE_FIGURES, rate(64)),
        Measurement("rate-1", "GET /healthz, 1 connection (wrk -t1 -c1)", ALL_HTTP, RATE_FIGURES, rate(1)),
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
