"""What the benchmark drivers share (bench/cluster, bench/kubernetes): a log with the time since start, /proc
readings, small HTTP and port helpers, waiting on a condition, and the raw-record writer."""
from __future__ import annotations

import json
import socket
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"[{time.monotonic() - T0:6.0f}s] {msg}", file=sys.stderr, flush=True)


class Fatal(Exception):
    pass


def cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    except (OSError, IndexError, ValueError):
        return None


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def loadavg() -> list[float]:
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: a TIME_WAIT left by the last case is no conflict
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (OSError, ValueError):
        return 0, b""


def parse_time(iso: str | None) -> float | None:
    return datetime.fromisoformat(iso).timestamp() if iso else None


def wait_until(what: str, condition, timeout: float, interval: float = 0.2, check=None):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if check:
            check()
        if time.monotonic() > deadline:
            raise Fatal(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)


class Recorder:
    def __init__(self, path: Path):
        self.f = open(path, "a")

    def __call__(self, record: dict) -> None:
        self.f.write(json.dumps(record) + "\n")
        self.f.flush()


def pct(xs: list[float], p: float) -> float:
    """The p-quantile (0-1) of xs by linear interpolation between the nearest ranks; NaN for none."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(len(xs) - 1, int(k) + 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)
