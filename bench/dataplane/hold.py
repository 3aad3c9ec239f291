#!/usr/bin/env python3
"""Open N connections, make one small HTTP/1.1 request on each (so every connection is fully established through
the proxy, upstream included), then hold them all idle. Writes a JSON status file once the connections are held and
have been idle for --settle seconds, then sleeps until killed (or --hold seconds). Bounded everywhere: opening stops
at --open-limit seconds or after 50 errors.

Used by run.sh for the idle-connection case; run it inside the pod namespace, pinned to the client core.
"""
import argparse
import json
import os
import socket
import time


def read_response(sock: socket.socket) -> None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response head")
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0]
    if b" 200 " not in status + b" ":
        raise ConnectionError(f"unexpected status {status[:60]!r}")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response body")
        body += chunk


def still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)  # a socket with a timeout would wait for data before peeking
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host-header", default="origin.bench")
    p.add_argument("--path", default="/tiny")
    p.add_argument("-n", type=int, default=10000)
    p.add_argument("--status-file", required=True)
    p.add_argument("--settle", type=float, default=2.0)
    p.add_argument("--open-limit", type=float, default=60.0)
    p.add_argument("--hold", type=float, default=60.0)
    a = p.parse_args()

    request = f"GET {a.path} HTTP/1.1\r\nHost: {a.host_header}\r\n\r\n".encode()
    conns, errors, first_error = [], 0, None
    start = time.monotonic()
    for _ in range(a.n):
        if time.monotonic() - start > a.open_limit:
            first_error = first_error or f"open limit of {a.open_limit}s reached"
            break
        s = None
        try:
            s = socket.create_connection((a.host, a.port), timeout=5)
            s.sendall(request)
            read_response(s)
            conns.append(s)
        except OSError as e:  # ConnectionError is an OSError too
            errors += 1
            first_error = first_error or f"{type(e).__name__}: {e}"
            if s is not None:
                s.close()
            if errors >= 50:
                break
    open_seconds = time.monotonic() - start
    time.sleep(a.settle)
    alive = sum(1 for s in conns if still_open(s))
    status = {
        "requested": a.n,
        "opened": len(conns),
        "alive": alive,
        "errors": errors,
        "first_error": first_error,
        "open_seconds": round(open_seconds, 3),
    }
    tmp = a.status_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(status, f)
    os.rename(tmp, a.status_file)
    time.sleep(a.hold)


if __name__ == "__main__":
    main()
