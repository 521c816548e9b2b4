"""What is measured. Each measurement names the servers it compares, the figures it reports
(the first is the headline, used for ratios) and a function that measures one server once.
A function gets a freshly started server and returns {figure: value}."""
import lensapi
import pipeline
import tls
import png
import streams
import syscalls
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


def rate_with_syscalls(connections):
    """The rate as above, then the system calls per request over a fixed number of keep-alive
    requests under strace (SYSCALL_REQUESTS_PER_CONNECTION on each of the same connections)."""
    def run(server, settings):
        url = f"http://127.0.0.1:{server.port}/healthz"
        wrk.run(server, url, connections, settings.warmup_seconds)
        figures = wrk.run(server, url, connections, settings.wrk_seconds)
        figures.update(syscalls.per_request(server, server.port, "/healthz", connections,
                                            SYSCALL_REQUESTS_PER_CONNECTION, server.scratch))
        if "logging" in server.options:
            figures["logging"] = server.options["logging"]
        return figures
    return run


# 64 connections × 200 = 12,800 requests: enough that the once-per-connection calls and the
# log's batched writes show as what they are per request (thousandths).
SYSCALL_REQUESTS_PER_CONNECTION = 200


RATE_FIGURES = [
    Figure("rate", "req/s"),
    Figure("p50_ms", "p50 ms", "{:.3f}", "lower"),
    Figure("p99_ms", "p99 ms", "{:.3f}", "lower"),
    Figure("cpu_us_per_request", "server CPU µs/req", "{:.1f}", "lower"),
    Figure("server_cores", "server cores", "{:.2f}", "lower"),
    Figure("errors", "errors", "{:,.0f}", "lower"),
]


SYSCALL_FIGURE = Figure("syscalls_per_request", "syscalls/req", "{:.2f}", "lower")
IO_SYSCALL_FIGURE = Figure("io_syscalls_per_request", "syscalls/req on the request path (no epoll, no connection set-up or teardown)", "{:.3f}", "lower")


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
    return with_build(server, {
        "rss_per_stream_kib": (r["held"] - before) / r["opened"],
        "streams": r["opened"],
        "receiving": r["receiving"],
        "failed": r["failed"],
        "rss_mib": r["held"] / 1024,
        "setup_s": r["setup_s"],
    })


def with_build(server, figures):
    """Says which lens-gpt build held the streams (a note under the table)."""
    if server.options.get("tick_stage"):
        figures["build"] = server.options["tick_stage"]
    return figures


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
    return with_build(server, {
        "delay_p99_ms": r["delay_p99_ms"],
        "delay_p50_ms": r["delay_p50_ms"],
        "delay_max_ms": r["delay_max_ms"],
        "subscribers": r["opened"],
        "receiving": r["receiving"],
        "samples": r["delay_samples"],
        "server_cpu_s": server.cpu_seconds() - cpu,
        "send_floor_ms": streams.send_floor_ms(settings.subscribers),
        # As many senders as lens-gpt has loops (the peers' runtimes use both cores too).
        "send_floor_2_ms": streams.send_floor_ms(settings.subscribers, senders=2),
    })


def upload(server, settings):
    small_rate, small_peak = pipeline.uploads(server, 1 << 20, settings.small_uploads, "1m")
    big_rate, big_peak = pipeline.uploads(server, 20 << 20, settings.big_uploads, "20m")
    return {"gb_per_s_20m": big_rate / 1e9, "gb_per_s_1m": small_rate / 1e9,
            "peak_growth_mib_20m": big_peak / 1024, "peak_growth_mib_1m": small_peak / 1024}


def tls_handshakes(server, settings):
    return tls.handshakes(server, settings.tls_seconds)


def tls_bulk(server, settings):
    tls.bulk(server, 1)  # warm-up: page cache, buffers
    return tls.bulk(server, settings.tls_seconds)


def pipeline_runs(server, settings):
    return pipeline.runs(server, settings.pipeline_runs)


def demo_runs(server, settings):
    return pipeline.demo_runs(server, min(5, settings.pipeline_runs))


def all_measurements():
    return [
        Measurement("rate-64", "GET /healthz, 64 connections (wrk -t1 -c64), logging off on both sides", ALL_HTTP,
                    RATE_FIGURES + [SYSCALL_FIGURE, IO_SYSCALL_FIGURE], rate_with_syscalls(64),
                    note="nginx: `access_log off`; lens-gpt: `--log-level warning` (no request log). The "
                         "Swift peers log nothing per request. System calls per request: `strace -f` on "
                         "every server thread over 200 keep-alive requests on each of 64 connections "
                         "(12,800, none left in flight), each call grouped by what it serves: the request "
                         "path, the connection's set-up and teardown (including the read that sees its end), "
                         "or the event wait. The rate under strace is not used."),
        Measurement("rate-64-logged", "GET /healthz, 64 connections (wrk -t1 -c64), logging on on both sides",
                    [NGINX, LENS], RATE_FIGURES + [SYSCALL_FIGURE, IO_SYSCALL_FIGURE], rate_with_syscalls(64),
                    server_options={"logging": True},
                    note="nginx: `access_log … combined buffer=64k flush=1s` to a file; lens-gpt: "
                         "`--log-level info` (its default: one line per request, buffered per event loop) "
                         "to a file. System calls per request as above."),
        Measurement("rate-1", "GET /healthz, 1 connection (wrk -t1 -c1)", ALL_HTTP, RATE_FIGURES, rate(1)),
        Measurement("cpu-1loop", "CPU per request, one core each: GET /healthz, 64 connections, logging off",
                    [NGINX, LENS], RATE_FIGURES, rate(64), server_options={"loops": 1},
                    note="lens-gpt `--loops 1` against nginx's one worker (`worker_processes 1`); wrk on the "
                         "other core. `rate-64` gives lens-gpt's CPU per request at `--loops 2` under the "
                         "same load: two loops should cost no more per request than one."),
        Measurement("cpu-1loop-logged", "CPU per request, one core each: GET /healthz, 64 connections, logging on",
                    [NGINX, LENS], RATE_FIGURES, rate(64), server_options={"loops": 1, "logging": True},
                    note="As `cpu-1loop`, with nginx's buffered access log and lens-gpt's request log "
                         "(`--log-level info`), both to a file."),
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
             Figure("samples", "samples"), Figure("server_cpu_s", "server CPU s", "{:.2f}", "lower"),
             Figure("send_floor_ms", "floor: 1,000 sends, 1 sender ms", "{:.2f}", "lower"),
             Figure("send_floor_2_ms", "floor: 2 senders ms", "{:.2f}", "lower")],
            fan_out, server_options={"tick_stage": True},
            note="The producer stamps each tick with the wall clock when it puts it; receipt is the "
                 "kernel's timestamp of the bytes reaching the client's socket (SO_TIMESTAMPNS), so "
                 "the client's own speed stays out; after a wake-up the client waits 100 ms before "
                 "reading, so that it does not take a core from the server mid-burst. One tick a "
                 "second for the hold. Peers: one "
                 "shared ticker broadcasting to every `/sse` subscriber; lens-gpt: the `tick` "
                 "stage's events on `/results/{id}/events`, through the result hub. `floor` is the "
                 "time one thread (or two processes, half each) takes to send one small frame to "
                 "each of 1,000 loopback connections on this machine, taken right after each run: "
                 "the kernel's share, which no server with one (two) loops beats."),
        Measurement(
            "upload", "Upload: multipart POST /classify (JSON mode), one connection at a time", [LENS],
            [Figure("gb_per_s_20m", "20 MiB GB/s", "{:.2f}"), Figure("gb_per_s_1m", "1 MiB GB/s", "{:.2f}"),
             Figure("peak_growth_mib_20m", "peak RSS growth MiB, 20 MiB", "{:.1f}", "lower"),
             Figure("peak_growth_mib_1m", "peak RSS growth MiB, 1 MiB", "{:.1f}", "lower")],
            upload, server_options={"photo_reading": False},
            note="Distinct real PNGs (stored IDAT), so every upload is a new result: read, hashed, "
                 "written to the data directory, run. lens-gpt runs with `--no-photo-reading`: "
                 "decoding each photo for barcodes and its text (ZBar, Tesseract; seconds for a "
                 "20 MiB picture) would share the two cores with the next upload, and the "
                 "measurement is the gateway's upload path. Throughput = image bytes ÷ time from the "
                 "first byte sent to the whole `202` received (median over uploads). Peak RSS "
                 "growth = VmHWM over a batch (reset before it via /proc/PID/clear_refs) − RSS "
                 "before it; flat RSS means the 20 MiB figure is no larger than the 1 MiB one."),
        Measurement(
            "tls-handshake", "TLS: new handshakes (openssl s_time -new, 2 clients)", [NGINX, LENS],
            [Figure("handshakes_per_s", "handshakes/s"),
             Figure("cpu_us_per_handshake", "server CPU µs/handshake", "{:.0f}", "lower"),
             Figure("server_cores", "server cores", "{:.2f}", "lower")],
            tls_handshakes,
            note="Same certificate (lens-gpt dev-cert, ECDSA P-256), TLS 1.3 as negotiated. Each "
                 "s_time client handshakes one connection at a time and needs CPU too, so server "
                 "CPU per handshake is the figure least bent by the client."),
        Measurement(
            "tls-bulk", "TLS: bulk download of a 16 MiB file (wrk -c1 over HTTPS)", [NGINX, LENS],
            [Figure("mb_per_s", "MB/s"), Figure("cpu_us_per_mib", "server CPU µs/MiB", "{:.0f}", "lower"),
             Figure("server_cores", "server cores", "{:.2f}", "lower"), Figure("files", "files")],
            tls_bulk,
            note="nginx serves the file from `root`, lens-gpt from `--web-dir`; one connection kept "
                 "alive. 16 MiB, not 64: lens-gpt answers 404 `file too large to serve` above 16 MiB "
                 "(it reads a static file whole into memory)."),
        Measurement(
            "pipeline", "Pipeline: time to first result event and to `done`; cached replay", [LENS],
            [Figure("done_ms", "upload to done ms", "{:.2f}", "lower"),
             Figure("first_event_ms", "upload to image-info ms", "{:.2f}", "lower"),
             Figure("replay_ttfb_ms", "cached replay TTFB ms", "{:.2f}", "lower"),
             Figure("replay_done_ms", "cached replay to done ms", "{:.2f}", "lower")],
            pipeline_runs,
            note="The stage tree without a browser (`image-info` only) on a 64 KiB PNG streamed back "
                 "on the upload (`POST /classify`), warm (after one run), median of the runs. Replay: "
                 "`GET /results/{id}/events` of a complete result on a new connection."),
        Measurement(
            "pipeline-demo", "Pipeline on the DemoWorld (`serve --demo`): every stage, warm", [LENS],
            [Figure("done_ms", "upload to done ms", "{:.0f}", "lower"),
             Figure("lens_ms", "upload to lens-matches ms", "{:.0f}", "lower"),
             Figure("first_event_ms", "upload to image-info ms", "{:.2f}", "lower"),
             Figure("replay_ttfb_ms", "cached replay TTFB ms", "{:.2f}", "lower"),
             Figure("runs", "warm runs", "{:.0f}")],
            demo_runs, server_options={"demo": True},
            note="Lens replica in headless Chromium (warm pool of 2), maker shops and marketplaces "
                 "through the demo world's proxy, no LLM. One cold run with the first catalog photo, "
                 "then warm runs with the others (each a new result), median; replay as above."),
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
        return f"{r:.3f}× nginx ({number(lens)} vs {number(nginx)} {what})", (r <= bound if at_most else r >= bound)
    return measure


def absolute_goal(measurement, key, bound, at_most, unit, server=LENS):
    def measure(results):
        value = median(results, measurement, server, key)
        if value is None:
            entry = results.get(measurement, {}).get("servers", {}).get(server, {})
            return entry.get("not_measured", "not in this run"), None
        return f"{number(value)} {unit}", (value <= bound if at_most else value >= bound)
    return measure


def syscall_goal(results):
    """The request path to three decimals, with what nginx's comes to by the same count."""
    lens = median(results, "rate-64-logged", LENS, "io_syscalls_per_request")
    nginx = median(results, "rate-64-logged", NGINX, "io_syscalls_per_request")
    if lens is None:
        return "not in this run", None
    text = f"{lens:.3f} syscalls/request"
    if nginx is not None:
        text += f" (nginx {nginx:.3f})"
    return text, lens <= 2.0


def flat_upload_rss(results):
    big = median(results, "upload", LENS, "peak_growth_mib_20m")
    small = median(results, "upload", LENS, "peak_growth_mib_1m")
    if big is None or small is None:
        return "not in this run", None
    return f"{big:.1f} MiB at 20 MiB vs {small:.1f} MiB at 1 MiB", big <= small + 1.0


def sse_goal(results):
    text, met = absolute_goal("sse-idle", "rss_per_stream_kib", 4.0, True, "KiB/stream")(results)
    streams_open = median(results, "sse-idle", LENS, "streams")
    if met is None or streams_open is None:
        return text, met
    return f"{text} at {streams_open:,.0f} streams", met and streams_open >= 10000


def goals():
    return [
        Goal("request rate ≥ 0.8× nginx at 64 connections, logging off", ratio_goal("rate-64", "rate", 0.8, False, "req/s")),
        Goal("request rate ≥ 0.8× nginx at 64 connections, logging on",
             ratio_goal("rate-64-logged", "rate", 0.8, False, "req/s")),
        # Counted as the issue counts nginx's "two" (recvfrom, writev): the calls a keep-alive
        # request makes; epoll_wait (shared by a wake-up's requests) and a connection's set-up
        # and teardown (shared by its requests) are in the total column. Strictly: the log's
        # batched writes, a few thousandths per request, count against it (nginx's too).
        Goal("≤ 2 system calls per keep-alive request, logging on (the request path: without epoll, "
             "connection set-up or teardown)", syscall_goal),
        Goal("single-connection p50 ≤ 2× nginx's", ratio_goal("rate-1", "p50_ms", 2.0, True, "ms")),
        Goal("CPU per request ≤ 1.0× nginx, one loop against one worker, logging off",
             ratio_goal("cpu-1loop", "cpu_us_per_request", 1.0, True, "µs/request")),
        Goal("CPU per request ≤ 1.0× nginx, one loop against one worker, logging on",
             ratio_goal("cpu-1loop-logged", "cpu_us_per_request", 1.0, True, "µs/request")),
        Goal("≤ 4 KB RSS per idle SSE stream at 10,000 streams", sse_goal),
        Goal("fan-out p99 ≤ 5 ms at 1,000 subscribers", absolute_goal("fan-out", "delay_p99_ms", 5.0, True, "ms")),
        Goal("upload ≥ 1 GB/s on loopback (20 MiB)", absolute_goal("upload", "gb_per_s_20m", 1.0, False, "GB/s")),
        Goal("upload peak RSS flat (20 MiB growth ≤ 1 MiB growth + 1 MiB)", flat_upload_rss),
        Goal("TLS handshakes/s ≥ 0.9× nginx", ratio_goal("tls-handshake", "handshakes_per_s", 0.9, False, "/s")),
        Goal("TLS bulk throughput ≥ 0.9× nginx", ratio_goal("tls-bulk", "mb_per_s", 0.9, False, "MB/s")),
        Goal("cached replay TTFB ≤ 5 ms", absolute_goal("pipeline", "replay_ttfb_ms", 5.0, True, "ms (image-info tree)")),
        Goal("warm DemoWorld run to `done` ≤ 3 s", absolute_goal("pipeline-demo", "done_ms", 3000.0, True, "ms")),
    ]
