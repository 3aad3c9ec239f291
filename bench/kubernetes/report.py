#!/usr/bin/env python3
"""Tables of a Kubernetes watcher benchmark run: report.py --raw results/<stamp>/raw.jsonl --meta results/<stamp>/meta.json

Every figure is taken per round; tables show the median of the rounds and, in brackets, the lowest and highest round.
Latency: each change after the warm-up ones is a sample, from the time just before its PATCH was sent to the proxy's
own AppliedAt of the snapshot carrying it (or, for "status written", to the completion of the controller's status
PATCH of that object in the fake's request log); p50/p99 per round, "pooled" over every round's samples.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from collections import defaultdict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))
from benchlib import pct  # noqa: E402


def fmt(x, digits: int = 1) -> str:
    return "n/a" if x is None or x != x else f"{x:,.{digits}f}"


def spread(values: list, digits: int = 1) -> str:
    values = [v for v in values if v is not None and v == v]
    if not values:
        return "n/a"
    mid = statistics.median(values)
    if len(values) == 1 or min(values) == max(values):
        return fmt(mid, digits)
    return f"{fmt(mid, digits)} [{fmt(min(values), digits)}-{fmt(max(values), digits)}]"


def mib(mem: dict | None, key: str) -> float | None:
    return mem[key] / 1024 if mem and key in mem else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--meta", required=True)
    args = ap.parse_args()
    meta = json.load(open(args.meta))
    a = meta["args"]
    records = [json.loads(line) for line in open(args.raw)]
    populate = [r for r in records if r["type"] == "populate"]
    startups = defaultdict(list)  # (case, phase) -> records
    for r in records:
        if r["type"] == "startup":
            startups[(r["case"], r["phase"])].append(r)
    changes = defaultdict(list)  # phase -> records (one per round)
    for r in records:
        if r["type"] == "changes":
            changes[r["phase"]].append(r)
    proxies = [r for r in records if r["type"] == "proxy"]
    n_egress = a["namespaces"] * a["per_namespace"]

    out = []
    out.append(f"Kubernetes watcher benchmark (issue 12), {meta['started_utc']}" + (f": {meta['label']}" if meta.get("label") else ""))
    out.append("")
    runtimes = ", ".join(x.split(" [")[0] for x in meta.get("dotnet_runtimes", []))
    rc = meta.get("runtime_config", {})
    gc = ("Server" if rc.get("System.GC.Server") else "workstation") + (" non-concurrent" if rc.get("System.GC.Concurrent") is False else " concurrent")
    env = meta.get("dotnet_env") or {}
    out.append(f"Machine: {meta['cpus']} vCPUs ({meta['cpu']}), {meta['mem_total_mib']:,} MiB, kernel {meta['kernel']}; {runtimes}; "
               f"Akka.NET {meta['akka']}; KubernetesClient {meta.get('kubernetes_client', '?')}; Mesh {meta['commit']}"
               f"{' + local changes' if meta.get('dirty') else ''} (Release, as shipped: {gc} GC"
               + (f"; environment {', '.join(f'{k}={v}' for k, v in env.items())}" if env else "; no DOTNET_ settings") + ").")
    full = next((p for p in populate if p["namespaces"] == a["namespaces"]), None)
    if full:
        c = full["counts"]
        out.append(f"World: {c['namespaces']:,} enrolled namespaces, {c['egresses']:,} Egress ({a['per_namespace']} per namespace, "
                   f"sources over {a['accounts']} service accounts each), {c['httproutegroups']:,} HTTPRouteGroups, the MeshConfig, 5 CRDs; "
                   f"written over HTTP by {full['threads']} keep-alive clients in {full['seconds']:.1f} s "
                   f"({full['requests'] / max(full['seconds'], 1e-9):,.0f} requests/s), journal {full['journal_bytes'] / 1e6:.1f} MB, then compacted; "
                   f"each round runs a fresh fake API server on a copy.")
    out.append(f"Rounds: {a['rounds']}; {a['changes']} changes after {a['warmup']} warm-up ones and {a['foreign']} foreign ones per round, "
               f"{a['gap']} s apart on average (±50%)." + (f" Environment for every process: `{meta['mesh_env']}`." if meta.get("mesh_env") else ""))
    loads = [r["load"][0] for r in records if "load" in r and isinstance(r["load"], list)]
    if loads:
        out.append(f"Load average (1 min) at the records: median {statistics.median(loads):.1f}, {min(loads):.1f}-{max(loads):.1f}; "
                   f"at start {meta['load_at_start'][0]:.1f}" + (f", at end {meta['load_at_end'][0]:.1f}" if meta.get("load_at_end") else "")
                   + (f"; {meta['minutes']} minutes in all." if meta.get("minutes") else "."))
    out.append("")

    # ---- first sync and memory
    cols = [("empty", "cold", "empty store (no namespace, no Egress)"),
            ("full", "cold", f"{n_egress:,} Egress, cold (no status written yet)"),
            ("full", "restart", f"{n_egress:,} Egress, restart (every status written)")]
    cols = [c for c in cols if startups.get((c[0], c[1]))]
    out.append("First sync and controller memory: seconds after the process started (the stamped stderr line, or /ready "
               "polled every 100 ms); median of the rounds [range].")
    out.append("")
    out.append("| | " + " | ".join(c[2] for c in cols) + " |")
    out.append("|---|" + "---:|" * len(cols))

    def row(label: str, fn, digits: int = 1) -> None:
        cells = []
        for case, phase, _ in cols:
            vals = []
            for r in startups[(case, phase)]:
                try:
                    vals.append(fn(r))
                except (KeyError, TypeError, ZeroDivisionError):
                    vals.append(None)
            cells.append(spread(vals, digits))
        if any(c != "n/a" for c in cells):
            out.append(f"| {label} | " + " | ".join(cells) + " |")

    mark = lambda k: (lambda r: r["marks"][k])
    row("admin listener up", mark("admin_listening"), 2)
    row("namespaces listed (enrolled set known)", mark("namespaces_listed"), 2)
    row("first Egress list converted (`egress-watcher-supervisor listed`)", mark("egress_listed"), 2)
    row("last source resynced by the aggregator", mark("last_resync"), 2)
    row("Up in the controller cluster", mark("cluster_up"), 2)
    row("**ready** (`/ready` 200)", lambda r: r["ready_s"], 2)
    row("CPU seconds to ready", lambda r: r["cpu_s_at_ready"], 1)
    row("status writer done (every Egress written or checked)", lambda r: r["status"]["seconds"] if r.get("status") else None, 1)
    row("CPU seconds until then", lambda r: r.get("cpu_s_at_status"), 1)
    row("status writes: written", lambda r: r["status"]["by_outcome"].get("written", 0), 0)
    row("status writes: unchanged (read, nothing to write)", lambda r: r["status"]["by_outcome"].get("unchanged", 0), 0)
    row("API requests until then: GET status", lambda r: sum(v for k, v in r["requests_to_status"].items() if k.startswith("GET") and k.endswith("/status")), 0)
    row("API requests until then: PATCH status", lambda r: sum(v for k, v in r["requests_to_status"].items() if k.startswith("PATCH") and k.endswith("/status")), 0)
    row("API requests until then: list pages", lambda r: sum(v for k, v in r["requests_to_status"].items() if k.startswith("list ")), 0)
    row("RSS at ready, MiB", lambda r: mib(r["mem_ready"], "VmRSS"), 0)
    row("RSS settled (statuses done + idle), MiB", lambda r: mib(r["mem_settled"], "VmRSS"), 0)
    row("of which anonymous (heap, stacks), MiB", lambda r: mib(r["mem_settled"], "RssAnon"), 0)
    row("peak RSS (VmHWM), MiB", lambda r: mib(r["mem_settled"], "VmHWM"), 0)
    row("threads", lambda r: r["mem_settled"]["Threads"], 0)
    row("idle CPU after settling, CPU-s per minute", lambda r: r["idle"]["controller_cpu_s"] * 60 / r["idle"]["seconds"], 2)
    out.append("")
    empty = [mib(r["mem_settled"], "VmRSS") for r in startups.get(("empty", "cold"), [])]
    full_rss = [mib(r["mem_settled"], "VmRSS") for r in startups.get(("full", "cold"), [])]
    full_hwm = [mib(r["mem_settled"], "VmHWM") for r in startups.get(("full", "cold"), [])]
    if empty and full_rss:
        e = statistics.median(empty)
        out.append(f"Memory per Egress (with its share of namespaces and route groups): (settled RSS − empty store's) / {n_egress:,} = "
                   f"{(statistics.median(full_rss) - e) * 1024 / n_egress:.1f} KiB; peak (VmHWM − empty store's RSS) / {n_egress:,} = "
                   f"{(statistics.median(full_hwm) - e) * 1024 / n_egress:.1f} KiB.")
        out.append("")
    if full:
        fm = [mib(r.get("fake_mem"), "VmRSS") for r in startups.get(("full", "cold"), [])]
        if any(fm):
            out.append(f"The fake API server holding this world: RSS {spread(fm, 0)} MiB (not Mesh; for scale).")
            out.append("")

    # ---- latency
    out.append("From an API change (merge patch of one Egress's port) to the snapshot applied in the proxy, and to the "
               "controller's status write of that object, ms; median of the rounds [range], \"pooled\" over all rounds.")
    out.append("")
    out.append("| change | samples (lost) | proxy applied p50 | p99 | p99 pooled | max | status written p50 | p99 | PATCH answered p50 | proxy applied a snapshot |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    label = {"served": f"an Egress of the proxy's identity ({a['changes']} per round)",
             "foreign": f"an Egress in another namespace ({a['foreign']} per round)"}
    for phase in ("served", "foreign"):
        rounds = changes.get(phase, [])
        if not rounds:
            continue
        per = []
        for r in rounds:
            cs = [c for c in r["changes"] if not c["warmup"]]
            per.append({
                "lat": [(c["applied"] - c["t0"]) * 1000 for c in cs if c["applied"]],
                "status": [(c["status_written"] - c["t0"]) * 1000 for c in cs if c.get("status_written")],
                "ack": [(c["t1"] - c["t0"]) * 1000 for c in cs],
                "lost": sum(1 for c in cs if phase == "served" and not c["applied"]),
                "moved": sum(1 for c in cs if c["proxy_applied_changed"]), "n": len(cs)})
        all_lat = [x for p in per for x in p["lat"]]
        n = sum(p["n"] for p in per)
        out.append(
            f"| {label[phase]} | {sum(len(p['lat']) for p in per) if phase == 'served' else n} ({sum(p['lost'] for p in per)}) "
            f"| {spread([pct(p['lat'], .5) for p in per])} | {spread([pct(p['lat'], .99) for p in per])} | {fmt(pct(all_lat, .99))} "
            f"| {fmt(max(all_lat) if all_lat else None)} | {spread([pct(p['status'], .5) for p in per])} "
            f"| {spread([pct(p['status'], .99) for p in per])} | {spread([pct(p['ack'], .5) for p in per])} "
            f"| {sum(p['moved'] for p in per)} of {n} |")
    out.append("")

    # ---- CPU per change
    rows = []
    for phase in ("served", "foreign"):
        ctl, fake, prox = [], [], []
        for r in changes.get(phase, []):
            # the idle window just before the changes (older runs: the one after the status writes)
            idle = next((p["idle_before_changes"] for p in proxies if p["round"] == r["round"] and "idle_before_changes" in p), None) \
                or next((s["idle"] for s in startups[("full", "cold")] if s["round"] == r["round"]), None)
            rate = idle["controller_cpu_s"] / idle["seconds"] if idle else 0.0
            frate = idle["fake_cpu_s"] / idle["seconds"] if idle else 0.0
            prate = idle.get("proxy_cpu_s", 0.0) / idle["seconds"] if idle else 0.0
            count = len(r["changes"])
            ctl.append((r["cpu_s"]["controller"] - rate * r["seconds"]) / count * 1000)
            fake.append((r["cpu_s"]["fake"] - frate * r["seconds"]) / count * 1000)
            prox.append((r["cpu_s"]["proxy"] - prate * r["seconds"]) / count * 1000)
        if ctl:
            rows.append(f"| {label[phase]} | {spread(ctl)} | {spread(prox)} | {spread(fake)} |")
    if rows:
        out.append("CPU a change costs, ms: CPU during the changes (utime+stime) less the idle rate over the same time (measured "
                   "just before them), per change, "
                   "warm-up ones included (the controller's includes the status write the change causes; the proxy's includes "
                   "answering the driver's /config_dump polls, about 20 a second while it waits; clock ticks are 10 ms).")
        out.append("")
        out.append("| change | controller | proxy | fake API server |")
        out.append("|---|---:|---:|---:|")
        out += rows
        out.append("")
    idles = [p["idle_before_changes"] for p in proxies if "idle_before_changes" in p]
    if idles:
        out.append(f"Idle, with the proxy connected, before the changes: controller "
                   f"{spread([i['controller_cpu_s'] * 60 / i['seconds'] for i in idles], 2)} CPU-s per minute, proxy "
                   f"{spread([i['proxy_cpu_s'] * 60 / i['seconds'] for i in idles], 2)}, fake API server "
                   f"{spread([i['fake_cpu_s'] * 60 / i['seconds'] for i in idles], 2)} ({a['settle']:.0f} s windows).")
    if proxies:
        out.append(f"Proxy: ready in {spread([p['ready_s'] for p in proxies])} s with {proxies[0]['rules']} rules "
                   f"(its identity's snapshot); RSS {spread([mib(p['mem'], 'VmRSS') for p in proxies], 0)} MiB.")
    restarts = startups.get(("full", "restart"), [])
    if restarts:
        out.append(f"Restart: the old controller took {spread([r['stop_s'] for r in restarts])} s to stop on SIGTERM; "
                   f"the proxy (fail static meanwhile) heard from the new one again in every round: "
                   f"{all(r.get('proxy_reachable') for r in restarts)}.")
    if any(r["type"] == "budget" for r in records):
        out.append("")
        out.append("The time budget ran out: " + "; ".join(r["what"] for r in records if r["type"] == "budget")
                   + " and what follows were not measured.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
