"""TLS: full handshakes per second with `openssl s_time -new` (wrk resumes sessions, so it
would measure resumptions), and bulk throughput with wrk over one kept-alive connection."""
import re
import subprocess
import time

import wrk

CLIENTS = 2  # one s_time per core: s_time is sequential, one handshake at a time


def handshakes(server, seconds):
    cpu = server.cpu_seconds()
    started = time.monotonic()
    argv = ["openssl", "s_time", "-connect", f"127.0.0.1:{server.tls_port}", "-new", "-time", str(seconds)]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(CLIENTS)]
    total = 0
    for p in procs:
        out, _ = p.communicate(timeout=seconds + 30)
        m = re.search(r"(\d+) connections in [\d.]+s;", out)
        if not m:
            raise RuntimeError(f"s_time printed no count: {out[-300:]}")
        total += int(m.group(1))
    wall = time.monotonic() - started
    cpu = server.cpu_seconds() - cpu
    return {"handshakes_per_s": total / wall, "cpu_us_per_handshake": cpu / max(1, total) * 1e6,
            "server_cores": cpu / wall, "handshakes": total}


BULK_FILE_MIB = 16  # bench/run writes web/big.bin; lens-gpt serves static files up to 16 MiB


def bulk(server, seconds, path="/big.bin"):
    r = wrk.run(server, f"https://127.0.0.1:{server.tls_port}{path}", 1, seconds)
    if r["errors"]:
        raise RuntimeError(f"{r['errors']} of {r['requests']} downloads failed")
    return {"mb_per_s": r["bytes_per_s"] / 1e6, "cpu_us_per_mib": r["cpu_us_per_request"] / BULK_FILE_MIB,
            "server_cores": r["server_cores"], "files": r["requests"], "errors": r["errors"]}
