"""Real PNG files of a chosen size: 8-bit RGB, zero pixels, one IDAT chunk holding a zlib
stream of stored (uncompressed) blocks, so the file is about as large as its pixels. A tEXt
chunk with a caller's tag makes each file distinct (each upload is a new result id)."""
import struct
import zlib

WIDTH = 2048
ROW = 1 + WIDTH * 3  # filter byte + RGB


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class PNG:
    """`head(tag) + body` is a complete PNG of about `size` bytes; the big part is shared."""

    def __init__(self, size):
        rows = max(1, (size - 200) // ROW)
        self.width, self.height = WIDTH, rows
        pixels = zlib.compress(bytes(ROW * rows), 0)
        self.body = chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
        self.ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, rows, 8, 2, 0, 0, 0))

    def head(self, tag):
        return b"\x89PNG\r\n\x1a\n" + self.ihdr + chunk(b"tEXt", b"bench\x00" + tag.encode())

    def size(self, tag):
        return len(self.head(tag)) + len(self.body)

    def whole(self, tag):
        return self.head(tag) + self.body
