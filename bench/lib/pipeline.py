"""lens-gpt's own paths: uploads (throughput, peak RSS against size) and result streams
(time to first result event and to `done`, a cached replay's time to first byte)."""
import socket
import statistics
import time

import lensapi
import png
import procstat


def uploads(server, size, count, tag):
    """`count` distinct uploads of about `size` bytes, one connection each, one after another.
    Returns (bytes/s of the POSTs, peak RSS growth in KiB over the RSS before)."""
    image = png.PNG(size)
    lensapi.upload_json(server.port, image, f"{tag}-warm")  # first run pays for store pages, buffers
    before = server.rss_kib()
    procstat.reset_peak_rss(server.pid)
    rates = []
    for i in range(count):
        _, seconds = lensapi.upload_json(server.port, image, f"{tag}-{i}")
        rates.append(image.size(f"{tag}-{i}") / seconds)
    return statistics.median(rates), procstat.peak_rss_kib(server.pid) - before


def stream_upload(port, image, tag):
    """POST /classify answered as SSE: seconds to the first result event and to `done`."""
    head, pieces, _ = lensapi.multipart_parts(image.head(tag), image.body, accept_json=False)
    first = done = None
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t0 = time.perf_counter()
        s.sendall(head + b"".join(pieces))
        seen = b""
        while done is None:
            chunk = s.recv(65536)
            if not chunk:
                break
            seen += chunk
            now = time.perf_counter() - t0
            if first is None and b"event: image-info" in seen:
                first = now
            if b"event: done" in seen:
                done = now
    if first is None or done is None:
        raise RuntimeError(f"stream ended before done: {seen[-300:]!r}")
    return first, done


def replay_ttfb(port, result_id):
    """A finished result's stream on a new connection: seconds to the first byte and to the end."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t0 = time.perf_counter()
        s.sendall(f"GET /results/{result_id}/events HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        chunk = s.recv(65536)
        first = time.perf_counter() - t0
        data = chunk
        while b"event: done" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        end = time.perf_counter() - t0
    if not data.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"replay answered {data[:40]!r}")
    return first, end


def runs(server, count):
    image = png.PNG(64 * 1024)
    stream_upload(server.port, image, "cold")  # the first run after start is not a warm run
    firsts, dones, ttfbs, ends = [], [], [], []
    for i in range(count):
        first, done = stream_upload(server.port, image, f"warm-{i}")
        firsts.append(first)
        dones.append(done)
    result_id, _ = lensapi.upload_json(server.port, image, "warm-0")  # already complete: cached
    for _ in range(count):
        ttfb, end = replay_ttfb(server.port, result_id)
        ttfbs.append(ttfb)
        ends.append(end)
    ms = lambda xs: statistics.median(xs) * 1000
    return {"first_event_ms": ms(firsts), "done_ms": ms(dones), "replay_ttfb_ms": ms(ttfbs),
            "replay_done_ms": ms(ends)}
