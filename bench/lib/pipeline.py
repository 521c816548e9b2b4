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


def demo_runs(server, count):
    """The demo world's whole pipeline (Lens replica in headless Chromium, shops, marketplaces):
    once cold, then warm runs of the other catalog photos (each a new result), and a cached
    replay of a finished one. Seconds to the first result event (`image-info`), to
    `lens-matches`, and to `done`."""
    import json
    import urllib.request
    base = f"http://127.0.0.1:{server.port}"
    deadline = time.time() + 120
    while time.time() < deadline:  # the browser pool warms up after the port opens
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as r:
                if r.status == 200:
                    break
        except Exception:
            pass
        time.sleep(0.5)
    else:
        raise RuntimeError("demo server never became ready")
    with urllib.request.urlopen(base + "/demo/samples.json", timeout=5) as r:
        samples = json.load(r)
    photos = []
    for sample in samples:
        with urllib.request.urlopen(base + sample["url"], timeout=5) as r:
            photos.append(r.read())
    firsts, matches, dones, ttfbs = [], [], [], []
    for i, photo in enumerate(photos[: count + 1]):
        first, lens, done, result_id = demo_stream(server.port, photo)
        if i == 0:
            continue  # the cold run (first browser session use) is not a warm run
        firsts.append(first)
        matches.append(lens)
        dones.append(done)
        ttfbs.append(replay_ttfb(server.port, result_id)[0])
    ms = lambda xs: statistics.median(xs) * 1000
    return {"done_ms": ms(dones), "lens_ms": ms(matches), "first_event_ms": ms(firsts), "replay_ttfb_ms": ms(ttfbs),
            "runs": len(dones)}


def demo_stream(port, photo):
    boundary = "benchdemo"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    head = (f"POST /classify HTTP/1.1\r\nHost: bench\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    first = lens = done = None
    result_id = None
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t0 = time.perf_counter()
        s.sendall(head + body)
        seen = b""
        while done is None:
            chunk = s.recv(65536)
            if not chunk:
                break
            seen += chunk
            now = time.perf_counter() - t0
            if first is None and b"event: image-info" in seen:
                first = now
            if lens is None and b"event: lens-matches" in seen:
                lens = now
            if b"event: done" in seen:
                done = now
        for line in seen.split(b"\r\n"):
            if line.lower().startswith(b"x-result-id:"):
                result_id = line.split(b":", 1)[1].strip().decode()
    if first is None or done is None or lens is None or result_id is None:
        raise RuntimeError(f"demo stream incomplete: {seen[-300:]!r}")
    return first, lens, done, result_id
