"""A fixed number of keep-alive requests: `connections` connections, each sending `per_connection`
GETs one after another, reading each response whole (by Content-Length), then closing. Unlike a
timed wrk run, no request is left in flight when the count is taken, so every call the server
made belongs to a request that was counted."""
import selectors
import socket
import time


class _Connection:
    def __init__(self, port, request, count):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.request = request
        self.left = count
        self.buffer = b""

    def send(self):
        self.sock.sendall(self.request)

    def receive(self):
        """Reads what is there; returns how many responses it completed."""
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError("server closed a keep-alive connection")
        self.buffer += chunk
        done = 0
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return done
            head = self.buffer[:end].decode("latin-1").lower()
            if not head.startswith("http/1.1 200"):
                raise RuntimeError(f"unexpected response: {head.splitlines()[0]}")
            length = next((int(l.split(":", 1)[1]) for l in head.split("\r\n") if l.startswith("content-length:")), None)
            if length is None:
                raise RuntimeError("response without Content-Length")
            if len(self.buffer) < end + 4 + length:
                return done
            self.buffer = self.buffer[end + 4 + length:]
            self.left -= 1
            done += 1


def run(port, path, connections, per_connection, timeout=120):
    """Sends connections × per_connection requests; returns how many completed."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    open_connections = []
    for _ in range(connections):
        c = _Connection(port, request, per_connection)
        selector.register(c.sock, selectors.EVENT_READ, c)
        open_connections.append(c)
        c.send()
    completed = 0
    deadline = time.monotonic() + timeout
    while open_connections:
        if time.monotonic() > deadline:
            raise RuntimeError(f"keep-alive run timed out after {completed} responses")
        for key, _ in selector.select(timeout=1):
            c = key.data
            done = c.receive()
            completed += done
            if c.left == 0:
                selector.unregister(c.sock)
                c.sock.close()
                open_connections.remove(c)
            elif done:
                c.send()  # one request in flight per connection: the next once this one is answered
    selector.close()
    return completed
