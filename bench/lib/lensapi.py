"""Talking to lens-gpt as a client would: uploads (multipart, JSON mode) and result streams."""
import json
import socket
import subprocess
import time

BOUNDARY = "benchboundary7MA4YWxkTrZu0gW"


def multipart_parts(png_head, png_body, accept_json=True):
    """(request head, body pieces): the body is sent as pieces so a 20 MiB image is not copied."""
    pre = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.png\"\r\n"
           f"Content-Type: image/png\r\n\r\n").encode()
    post = f"\r\n--{BOUNDARY}--\r\n".encode()
    pieces = [pre, png_head, png_body, post]
    length = sum(len(p) for p in pieces)
    head = (f"POST /classify HTTP/1.1\r\nHost: bench\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {length}\r\n" + ("Accept: application/json\r\n" if accept_json else "")
            + "Connection: close\r\n\r\n").encode()
    return head, pieces, length


def read_response(sock):
    """Reads a whole `Connection: close` response: (status, headers text, body bytes)."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head[9:12]) if head.startswith(b"HTTP/1.1 ") else 0
    return status, head.decode("latin-1"), body


def upload_json(port, png, tag):
    """POSTs one image in JSON mode; returns (result id, seconds from first byte sent to the
    whole 202 received)."""
    head, pieces, _ = multipart_parts(png.head(tag), png.body)
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t0 = time.perf_counter()
        s.sendall(head)
        for p in pieces:
            s.sendall(p)
        status, headers, body = read_response(s)
        elapsed = time.perf_counter() - t0
    if status != 202:
        raise RuntimeError(f"upload answered {status}: {body[:200]!r}")
    return json.loads(body)["id"], elapsed


def tick_stage_supported(binary):
    """`--synthetic-stage-ms` adds a stage that keeps a result running, emitting `tick` events
    with the put time in `unix_ns`: what the live-stream and fan-out measurements hold."""
    out = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, timeout=10)
    return "--synthetic-stage-ms" in out.stdout + out.stderr


NO_RUNNING_RESULT = "this lens-gpt binary has no --synthetic-stage-ms, so no result stays running"
