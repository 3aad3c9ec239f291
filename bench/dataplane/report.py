#!/usr/bin/env python3
"""Parsing and reporting for run.sh: turns each run's tool output into one JSON line of raw.jsonl, and raw.jsonl
into the markdown results table (medians per case and contender, ratios from the same run, issue 7 targets).

  report.py wrk   --raw F --case C --contender X --round R --cpu-s S --hwm-kib K   < wrk output
  report.py iperf --raw F --case C --contender X --round R --cpu-s S --hwm-kib K   < iperf3 -J output
  report.py idle  --raw F --case C --contender X --round R --cpu-s S --hwm-kib K --status F --rss-before K --rss-held K
  report.py fail  --raw F --case C --contender X --round R --reason TEXT
  report.py table --raw F --meta F [--partial TEXT]
"""
import argparse
import json
import re
import statistics
import sys

CONTENDERS = ["direct", "haproxy", "mesh"]
LABEL = {"direct": "direct", "haproxy": "HAProxy", "mesh": "Mesh"}

# id -> (kind, description). The order is the table's order.
CASES = {
    "http-ka-1": ("wrk", "small GET, keep-alive, 1 connection (HAProxy HTTP mode; Mesh http rule + route check)"),
    "http-ka-50": ("wrk", "small GET, keep-alive, 50 connections (HAProxy HTTP mode; Mesh http rule + route check)"),
    "tcp-ka-50": ("wrk", "small GET, keep-alive, 50 connections, L4 (HAProxy TCP mode; Mesh tcp rule)"),
    "tcp-close-50": ("wrk", "new connection per request, 50 concurrent (HAProxy TCP mode; Mesh tcp rule)"),
    "http-close-50": ("wrk", "new connection per request, 50 concurrent (HAProxy HTTP mode; Mesh http rule + route check)"),
    "http-1m-4": ("wrk", "1 MiB responses, keep-alive, 4 connections (HAProxy HTTP mode; Mesh http rule + route check)"),
    "iperf-1": ("iperf", "one TCP stream, iperf3 (HAProxy TCP mode; Mesh tcp rule)"),
    "iperf-4": ("iperf", "four parallel TCP streams, iperf3 -P 4 (HAProxy TCP mode; Mesh tcp rule)"),
    "idle-tcp": ("idle", "idle connections held, one small request each first (HAProxy TCP mode; Mesh tcp rule)"),
    "idle-http": ("idle", "idle kept-alive connections, one small request each first (HAProxy HTTP mode; Mesh http rule)"),
}

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    return float(m.group(1)) * UNIT_MS[m.group(2)] if m else None


def parse_wrk(out):
    rec = {}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out)
    if not m:
        raise ValueError("no wrk summary in output: " + out.strip()[-300:])
    rec["requests"] = int(m.group(1))
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    rec["rate"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        rec[key] = to_ms(m.group(1)) if m else None
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    rec["errors"] = errors
    return rec


def parse_iperf(out):
    data = json.loads(out)
    if "error" in data and not data.get("end", {}).get("sum_received"):
        raise ValueError("iperf3: " + data["error"])
    recv = data["end"]["sum_received"]
    return {"rate": recv["bits_per_second"] / 1e9, "bytes": recv["bytes"], "errors": 0}


def append(path, rec):
    with open(path, "a") as f:
        f.write(json.dumps(rec) + "\n")


def record(a):
    base = {"case": a.case, "contender": a.contender, "round": a.round}
    if a.cmd == "fail":
        append(a.raw, {**base, "failed": a.reason})
        return
    if a.cmd == "event":
        append(a.raw, {**base, "event": a.reason})
        return
    base["cpu_s"] = None if a.cpu_s in (None, "", "-") else float(a.cpu_s)
    base["hwm_kib"] = None if a.hwm_kib in (None, "", "-") else int(a.hwm_kib)
    try:
        if a.cmd == "wrk":
            rec = parse_wrk(sys.stdin.read())
        elif a.cmd == "iperf":
            rec = parse_iperf(sys.stdin.read())
        else:
            with open(a.status) as f:
                rec = json.load(f)
            rec["rss_before_kib"] = int(a.rss_before)
            rec["rss_held_kib"] = int(a.rss_held)
    except (ValueError, KeyError, OSError, TypeError) as e:
        append(a.raw, {**base, "failed": f"could not parse the tool's output ({e})"[:300]})
        print(f"report.py: {a.case}/{a.contender}: {e}", file=sys.stderr)
        return
    append(a.raw, {**base, **rec})
    print(json.dumps({**base, **rec}), file=sys.stderr)


# ---------------------------------------------------------------- table

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=None):
    if v is None:
        return "—"
    if digits is None:
        digits = 0 if abs(v) >= 100 else (1 if abs(v) >= 10 else 2)
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}×"


def load(path):
    rows = []
    try:
        with open(path) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        pass
    return rows


def events(path):
    return [r for r in load(path) if "event" in r]


def summarize(rows, case, kind):
    """Per contender: dict of metric -> median, plus failures and run count."""
    out = {}
    for c in CONTENDERS:
        runs = [r for r in rows if r["case"] == case and r["contender"] == c]
        ok = [r for r in runs if "failed" not in r]
        s = {"runs": len(ok), "failed": [r["failed"] for r in runs if "failed" in r], "attempted": len(runs)}
        if ok:
            s["errors"] = sum(r.get("errors", 0) or 0 for r in ok)
            s["hwm_mib"] = med([r["hwm_kib"] / 1024 if r.get("hwm_kib") else None for r in ok])
            s["cpu_s"] = med([r.get("cpu_s") for r in ok])
            if kind == "wrk":
                s["rate"] = med([r["rate"] for r in ok])
                s["p50"] = med([r["p50_ms"] for r in ok])
                s["p99"] = med([r["p99_ms"] for r in ok])
                s["cpu_us_per"] = med([r["cpu_s"] / r["requests"] * 1e6 if r.get("cpu_s") is not None and r["requests"] else None for r in ok])
            elif kind == "iperf":
                s["rate"] = med([r["rate"] for r in ok])
                s["cpu_s_per_gb"] = med([r["cpu_s"] / (r["bytes"] / 1e9) if r.get("cpu_s") is not None and r["bytes"] else None for r in ok])
            else:
                s["requested"] = max(r["requested"] for r in ok)
                s["alive"] = med([r["alive"] for r in ok])
                s["rss_before"] = med([r["rss_before_kib"] / 1024 for r in ok])
                s["rss_held"] = med([r["rss_held_kib"] / 1024 for r in ok])
                s["kib_per_conn"] = med([(r["rss_held_kib"] - r["rss_before_kib"]) / r["alive"] if r["alive"] else None for r in ok])
                s["open_rate"] = med([r["opened"] / r["open_seconds"] if r["open_seconds"] else None for r in ok])
                s["first_error"] = next((r["first_error"] for r in ok if r.get("first_error")), None)
        out[c] = s
    return out


def metric_rows(kind, case):
    # (label, key, digits, lower_is_better, proxy_only)
    if kind == "wrk":
        rate_label = "body Gbit/s" if case == "http-1m-4" else ("connections/s" if "close" in case else "req/s")
        rows = [(rate_label, "rate", None, False, False),
                ("p50 latency, ms", "p50", 3, True, False),
                ("p99 latency, ms", "p99", 3, True, False),
                ("proxy CPU per request, µs", "cpu_us_per", 1, True, True),
                ("proxy CPU seconds per run", "cpu_s", 2, True, True),
                ("proxy peak RSS (VmHWM), MiB", "hwm_mib", 1, True, True)]
        if case == "http-1m-4":
            rows.insert(0, ("req/s", "req_rate", None, False, False))
        return rows
    if kind == "iperf":
        return [("Gbit/s", "rate", 2, False, False),
                ("proxy CPU seconds per GB", "cpu_s_per_gb", 3, True, True),
                ("proxy CPU seconds per run", "cpu_s", 2, True, True),
                ("proxy peak RSS (VmHWM), MiB", "hwm_mib", 1, True, True)]
    return [("connections held (alive after settle)", "alive", 0, False, True),
            ("proxy RSS before, MiB", "rss_before", 1, True, True),
            ("proxy RSS while held, MiB", "rss_held", 1, True, True),
            ("proxy memory per idle connection, KiB", "kib_per_conn", 2, True, True),
            ("proxy CPU seconds to open them", "cpu_s", 2, True, True),
            ("opening rate, connections/s", "open_rate", None, False, True)]


def table(rows, meta):
    lines = []
    lines.append("| case | metric | direct | HAProxy | Mesh | Mesh / HAProxy | Mesh / direct |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    summaries = {}
    for case, (kind, desc) in CASES.items():
        if not any(r["case"] == case for r in rows):
            continue
        s = summarize(rows, case, kind)
        if case == "http-1m-4":
            for c in CONTENDERS:
                if "rate" in s[c]:
                    s[c]["req_rate"] = s[c]["rate"]
                    s[c]["rate"] = s[c]["rate"] * 1048576 * 8 / 1e9
        summaries[case] = s
        first = True
        for label, key, digits, _lower, proxy_only in metric_rows(kind, case):
            cells = []
            for c in CONTENDERS:
                if c == "direct" and (proxy_only or kind == "idle"):
                    cells.append("n/a")
                elif s[c]["runs"] == 0:
                    reason = s[c]["failed"][0] if s[c]["failed"] else "not run"
                    cells.append(f"not measured: {reason}" if first else "")
                else:
                    cells.append(fmt(s[c].get(key), digits))
            m, h, d = (s[c].get(key) if s[c]["runs"] else None for c in ("mesh", "haproxy", "direct"))
            r_h = fmt_ratio(ratio(m, h))
            r_d = "n/a" if (proxy_only or kind == "idle") else fmt_ratio(ratio(m, d))
            head = f"{desc}" if first else ""
            lines.append(f"| {head} | {label} | {' | '.join(cells)} | {r_h} | {r_d} |")
            first = False
        notes = []
        for c in CONTENDERS:
            if s[c].get("errors"):
                notes.append(f"{LABEL[c]}: {s[c]['errors']} errors (wrk socket errors or non-2xx) over {s[c]['runs']} runs")
            if s[c]["runs"] and s[c]["runs"] < s[c]["attempted"]:
                notes.append(f"{LABEL[c]}: {s[c]['attempted'] - s[c]['runs']} of {s[c]['attempted']} runs failed ({s[c]['failed'][0]})")
            if kind == "idle" and s[c].get("first_error") and c != "direct":
                notes.append(f"{LABEL[c]}: {s[c]['first_error']}")
        if notes:
            lines.append(f"| | notes | {'; '.join(notes)} | | | | |")
    return "\n".join(lines), summaries


def targets(summaries, idle_n):
    out = []

    def get(case, c, key):
        s = summaries.get(case, {}).get(c, {})
        return s.get(key) if s.get("runs") else None

    def line(name, value, goal, ok_when, detail):
        if value is None:
            out.append(f"- {name}: **not measured** (the case did not run, or none of its runs succeeded for both contenders)")
            return
        ok = ok_when(value)
        verdict = "**met**" if ok else "**missed**"
        out.append(f"- {name}: {verdict}: {detail}")

    r = ratio(get("iperf-1", "mesh", "rate"), get("iperf-1", "haproxy", "rate"))
    line("one TCP stream ≥ 0.9× HAProxy TCP", r, 0.9, lambda v: v >= 0.9,
         f"{fmt_ratio(r)} ({fmt(get('iperf-1', 'mesh', 'rate'), 2)} vs {fmt(get('iperf-1', 'haproxy', 'rate'), 2)} Gbit/s)"
         + ("" if r is None or r >= 0.9 else f", short by {(0.9 - r) / 0.9 * 100:.0f}% of the target"))
    r = ratio(get("tcp-close-50", "mesh", "rate"), get("tcp-close-50", "haproxy", "rate"))
    line("connections/s ≥ 0.8× HAProxy TCP", r, 0.8, lambda v: v >= 0.8,
         f"{fmt_ratio(r)} ({fmt(get('tcp-close-50', 'mesh', 'rate'))} vs {fmt(get('tcp-close-50', 'haproxy', 'rate'))} connections/s)"
         + ("" if r is None or r >= 0.8 else f", short by {(0.8 - r) / 0.8 * 100:.0f}% of the target"))
    r = ratio(get("http-ka-50", "mesh", "rate"), get("http-ka-50", "haproxy", "rate"))
    line("small kept-alive HTTP with route check ≥ 0.8× HAProxy HTTP (50 connections)", r, 0.8, lambda v: v >= 0.8,
         f"{fmt_ratio(r)} ({fmt(get('http-ka-50', 'mesh', 'rate'))} vs {fmt(get('http-ka-50', 'haproxy', 'rate'))} req/s)"
         + ("" if r is None or r >= 0.8 else f", short by {(0.8 - r) / 0.8 * 100:.0f}% of the target"))
    r = ratio(get("http-ka-50", "mesh", "p99"), get("http-ka-50", "haproxy", "p99"))
    line("p99 ≤ 1.2× HAProxy HTTP's (50 connections)", r, 1.2, lambda v: v <= 1.2,
         f"{fmt_ratio(r)} ({fmt(get('http-ka-50', 'mesh', 'p99'), 3)} vs {fmt(get('http-ka-50', 'haproxy', 'p99'), 3)} ms)"
         + ("" if r is None or r <= 1.2 else f", over by {(r - 1.2) / 1.2 * 100:.0f}% of the target"))
    for case in ("idle-tcp", "idle-http"):
        kib, alive = get(case, "mesh", "kib_per_conn"), get(case, "mesh", "alive")
        mode = "tcp rule" if case == "idle-tcp" else "http rule"
        if kib is None:
            line(f"≤ 8 KiB per idle connection, {idle_n:,} held ({mode})", None, None, None, "no Mesh run succeeded")
            continue
        held_ok = alive is not None and alive >= 10000
        ok = kib <= 8 and held_ok
        out.append(f"- ≤ 8 KiB proxy memory per idle connection, 10,000 held ({mode}): {'**met**' if ok else '**missed**'}: "
                   f"{fmt(kib, 2)} KiB per connection with {fmt(alive, 0)} held (HAProxy: {fmt(get(case, 'haproxy', 'kib_per_conn'), 2)} KiB)"
                   + ("" if kib <= 8 else f"; {kib / 8:.1f}× the budget")
                   + ("" if held_ok else f"; fewer than 10,000 held"))
    return "\n".join(out)


def render(a):
    rows = [r for r in load(a.raw) if "event" not in r]
    with open(a.meta) as f:
        meta = json.load(f)
    tbl, summaries = table(rows, meta)
    parts = []
    if a.partial:
        parts.append(f"**PARTIAL RESULTS: {a.partial}**\n")
    parts.append(f"Run {meta['started']} on {meta['machine']}; {meta['runs']} runs per contender per case, "
                 f"{meta['duration']} s each (short, to fit the 15-minute budget), contenders alternating within each round; "
                 f"medians; ratios are Mesh's median over the other contender's median from this same run. "
                 f"Client pinned to CPU 0, proxy and origin sharing CPU 1. {meta['versions']}.\n")
    parts.append(tbl)
    for e in events(a.raw):
        parts.append(f"\nEvent: {LABEL[e['contender']]} {e['event']} (case {e['case']}, round {e['round']}).")
    parts.append("\nIssue 7 targets (computed from the table):\n")
    parts.append(targets(summaries, meta["idle_n"]))
    if meta.get("idle_note"):
        parts.append(f"\nIdle case: {meta['idle_note']}.")
    return "\n".join(parts) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["wrk", "iperf", "idle", "fail", "event", "table"])
    p.add_argument("--raw", required=True)
    p.add_argument("--case")
    p.add_argument("--contender")
    p.add_argument("--round", type=int)
    p.add_argument("--cpu-s")
    p.add_argument("--hwm-kib")
    p.add_argument("--status")
    p.add_argument("--rss-before")
    p.add_argument("--rss-held")
    p.add_argument("--reason")
    p.add_argument("--meta")
    p.add_argument("--partial")
    a = p.parse_args()
    if a.cmd == "table":
        sys.stdout.write(render(a))
    else:
        record(a)


if __name__ == "__main__":
    main()
