#!/usr/bin/env python3
"""Time-stamps every open and close of the files in one directory (inotify), one line each on stdout:
"<unix time> <OPEN|CLOSE_NOWRITE|CLOSE_WRITE> <name>".

The cluster benchmark uses it to see when a controller reads a manifest after a change (its debounce has then passed):
the controller's own log line comes later and late by a variable amount (the console logger's queue, the pipe),
which once made a proxy seem to apply a snapshot before the file was read. run.sh starts this under SCHED_FIFO when
it can, so the stamp is taken as the event arrives, not when a busy 2-core machine gets round to it.
"""
import ctypes
import os
import struct
import sys
import time

IN_OPEN, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE = 0x20, 0x08, 0x10
NAMES = {IN_OPEN: "OPEN", IN_CLOSE_WRITE: "CLOSE_WRITE", IN_CLOSE_NOWRITE: "CLOSE_NOWRITE"}


def main() -> int:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = libc.inotify_init1(0)
    if fd < 0 or libc.inotify_add_watch(fd, os.fsencode(sys.argv[1]), IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0:
        print(f"inotify: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        return 1
    print("ready", flush=True)
    header = struct.Struct("iIII")
    while True:
        data = os.read(fd, 65536)
        now = time.time()
        lines = []
        offset = 0
        while offset < len(data):
            _, mask, _, length = header.unpack_from(data, offset)
            name = data[offset + header.size: offset + header.size + length].rstrip(b"\0").decode(errors="replace")
            offset += header.size + length
            for bit, label in NAMES.items():
                if mask & bit and name:
                    lines.append(f"{now:.6f} {label} {name}")
        if lines:
            print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
