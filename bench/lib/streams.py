"""Holds many HTTP connections open on one epoll loop: SSE streams (capacity and fan-out) or
idle keep-alive connections.

Receipt times come from the kernel (SO_TIMESTAMPNS: when the bytes reached the client's
socket), not from when this one-threaded Python client got round to reading them, so the
client's own speed does not enter the fan-out delays."""
import errno
import os
import re
import select
import socket
import struct
import time

# Tick payloads carry the producer's put time as Unix nanoseconds: the only 19-digit number
# in a frame (peers: `data: tick N <ns>`).
STAMP = re.compile(rb"(?<!\d)(\d{19})(?!\d)")
LINGER_RESET = struct.pack("ii", 1, 0)
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; SCM_TIMESTAMPNS has the same value
ANCILLARY = socket.CMSG_SPACE(16)


class Conn:
    __slots__ = ("sock", "sent", "headers", "status", "buf", "frames", "frames_held", "closed", "replied")

    def __init__(self, sock):
        self.sock, self.sent, self.headers, self.status = sock, False, False, 0
        self.buf, self.frames, self.frames_held, self.closed, self.replied = b"", 0, 0, False, False


# SSE hold: after a wake-up, how long the client waits before reading. Ticks are a second
# apart; reading at once would take one of the machine's cores from the server while it is
# still sending the tick to the other subscribers (receipt times come from the kernel, so
# waiting changes no delay, only who has the CPU during the burst).
SETTLE_SECONDS = 0.1


def hold(port, path, count, hold_seconds, idle=False, on_held=None, in_flight=256, setup_seconds=120, keep_delays=False):
    """Opens `count` connections to GET `path` and holds them for `hold_seconds` once all are
    open. SSE mode counts frames and put-to-receipt delays; idle mode reads one response per
    connection, holds, then asks again on every connection and counts the answers.
    `on_held()` runs at the end of the hold (to sample the server) and its value is returned."""
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode()
    ep = select.epoll()
    conns = {}
    pending = 0  # connecting or waiting for headers
    started = time.monotonic()
    delays_ns = []
    opened = failed = 0
    all_open_at = None
    held_value = None
    deadline = None
    second_round_at = None

    def close(c):
        nonlocal failed
        if not c.closed:
            c.closed = True
            failed += 1
            try:
                ep.unregister(c.sock.fileno())
            except (OSError, ValueError):
                pass
            c.sock.close()

    while True:
        now = time.monotonic()
        # Open more while under the in-flight bound.
        while len(conns) < count and pending < in_flight:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)  # no TIME_WAIT pile-up
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if not idle:
                s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            rc = s.connect_ex(("127.0.0.1", port))
            if rc not in (0, errno.EINPROGRESS):
                s.close()
                failed += 1
                count -= 1
                continue
            c = Conn(s)
            conns[s.fileno()] = c
            ep.register(s.fileno(), select.EPOLLOUT | select.EPOLLIN)
            pending += 1
        if all_open_at is None and opened + failed >= count and pending == 0:
            all_open_at = time.monotonic()
            deadline = all_open_at + hold_seconds
        if all_open_at is None and now - started > setup_seconds:
            break
        if deadline is not None and now >= deadline:
            if second_round_at is None:
                if on_held:
                    held_value = on_held()
                if not idle:
                    break
                # Idle mode: every connection must still answer.
                second_round_at = time.monotonic()
                for c in conns.values():
                    if not c.closed and c.headers:
                        c.replied = False
                        try:
                            c.sock.send(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
                        except OSError:
                            close(c)
            if all(c.closed or c.replied for c in conns.values()) or time.monotonic() - second_round_at > 10:
                break
        timeout = 0.2 if deadline is None else max(0.0, min(0.2, deadline - now))
        events = ep.poll(timeout)
        if events and all_open_at is not None and not idle:
            time.sleep(SETTLE_SECONDS)  # let the burst finish before this client takes a core
            events = ep.poll(0, 4 * count)
        for fd, ev in events:
            c = conns.get(fd)
            if c is None or c.closed:
                continue
            if not c.sent and ev & select.EPOLLOUT:
                try:
                    c.sock.send(request)
                except OSError:
                    pending -= 1
                    close(c)
                    continue
                c.sent = True
                ep.modify(fd, select.EPOLLIN)
                continue
            if ev & (select.EPOLLIN | select.EPOLLHUP | select.EPOLLERR):
                stamp = None
                try:
                    if idle:
                        data = c.sock.recv(65536)
                    else:
                        data, ancillary, _, _ = c.sock.recvmsg(65536, ANCILLARY)
                        for level, kind, value in ancillary:
                            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                                sec, nsec = struct.unpack("qq", value[:16])
                                stamp = sec * 1_000_000_000 + nsec
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    if not c.headers:
                        pending -= 1
                    close(c)
                    continue
                if not c.headers:
                    c.buf += data
                    end = c.buf.find(b"\r\n\r\n")
                    if end < 0:
                        continue
                    c.headers = True
                    c.status = int(c.buf[9:12]) if c.buf.startswith(b"HTTP/1.1 ") else 0
                    pending -= 1
                    if c.status != 200:
                        close(c)
                        continue
                    opened += 1
                    data = c.buf[end + 4:]
                    c.buf = b""
                    if idle:
                        continue  # a 200 to /healthz: small body, already read
                if idle:
                    if second_round_at is not None and b"HTTP/1.1 200" in data:
                        c.replied = True
                    continue
                # SSE: count frames (a frame ends with a blank line) and read put stamps.
                chunk = c.buf + data
                last = chunk.rfind(b"\n\n")
                if last < 0:
                    c.buf = chunk[-4096:]
                    continue
                complete, c.buf = chunk[:last + 2], chunk[last + 2:]
                n = complete.count(b"\n\n")
                c.frames += n
                if all_open_at is not None:
                    c.frames_held += n
                    if stamp is None:
                        stamp = time.time_ns()  # no kernel stamp: the client's clock at read
                    for m in STAMP.finditer(complete):
                        delays_ns.append(stamp - int(m.group(1)))

    live = [c for c in conns.values() if not c.closed and c.headers]
    result = {
        "requested": count,
        "opened": opened,
        "failed": failed,
        "setup_s": (all_open_at or time.monotonic()) - started,
        "all_open": all_open_at is not None and failed == 0,
        "held": held_value,
    }
    if idle:
        result["answered_after_hold"] = sum(1 for c in live if c.replied)
    else:
        result["receiving"] = sum(1 for c in live if c.frames_held > 0)
        result["frames_held"] = sum(c.frames_held for c in live)
        if delays_ns:
            delays_ns.sort()
            result["delay_p50_ms"] = percentile(delays_ns, 50) / 1e6
            result["delay_p99_ms"] = percentile(delays_ns, 99) / 1e6
            result["delay_max_ms"] = delays_ns[-1] / 1e6
            result["delay_samples"] = len(delays_ns)
        if keep_delays:
            result["delays_ns"] = delays_ns  # to merge with other clients' (several gateways)
    for c in conns.values():
        if not c.closed:
            c.sock.close()
    ep.close()
    return result


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100 * (len(sorted_values) - 1)))))
    return sorted_values[k]


def send_floor_ms(count, senders=1, payload_bytes=150):
    """The kernel's part of a fan-out on this machine: `senders` processes (one per server
    loop) each sending one small frame to its share of `count` loopback TCP connections, from
    the first send to the last (Python's own cost is about 1 µs of each send). A server with
    that many loops cannot deliver a tick to `count` subscribers faster than this."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(count)
    clients, servers = [], []
    try:
        for _ in range(count):
            c = socket.create_connection(listener.getsockname())
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
            s, _ = listener.accept()
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            clients.append(c)
            servers.append(s)
        frame = b"x" * payload_bytes
        best = None
        for _ in range(3):
            elapsed = _send_round(servers, frame, senders)
            best = elapsed if best is None else min(best, elapsed)
            for c in clients:
                c.recv(4096)
        return best * 1000
    finally:
        for s in clients + servers:
            s.close()
        listener.close()


def _send_round(servers, frame, senders):
    """Seconds from a common start to the last of `senders` processes finishing its sends."""
    if senders == 1:
        started = time.perf_counter()
        for s in servers:
            s.send(frame)
        return time.perf_counter() - started
    share = (len(servers) + senders - 1) // senders
    go_read, go_write = os.pipe()
    children = []
    for k in range(1, senders):
        done_read, done_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: wait for the start, send its share, say when it finished
            os.read(go_read, 1)
            for s in servers[k * share:(k + 1) * share]:
                s.send(frame)
            os.write(done_write, struct.pack("q", time.monotonic_ns()))
            os._exit(0)
        os.close(done_write)
        children.append((pid, done_read))
    started = time.monotonic_ns()
    os.write(go_write, b"x" * (senders - 1))
    for s in servers[:share]:
        s.send(frame)
    ends = [time.monotonic_ns()]
    for pid, done_read in children:
        ends.append(struct.unpack("q", os.read(done_read, 8))[0])
        os.close(done_read)
        os.waitpid(pid, 0)
    os.close(go_read)
    os.close(go_write)
    return (max(ends) - started) / 1e9
