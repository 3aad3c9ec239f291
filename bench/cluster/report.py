#!/usr/bin/env python3
"""Tables of a controller-cluster benchmark run: report.py --raw results/<stamp>/raw.jsonl --meta results/<stamp>/meta.json

Latency: every (change, proxy) pair is a sample, from the moment the change was written (the driver's CLOSE_WRITE as
filewatch stamped it) to the moment that proxy applied the snapshot carrying it (the proxy's own clock). p50/p99 are
taken per round; the table shows the median of the rounds and, in brackets, the lowest and highest round. "pooled" is
the percentile of all rounds' samples together. The first WARMUP changes of a round are left out.
CPU: utime+stime over the window, per proxy and per minute (in-process: the host's CPU divided by its proxies).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path
from collections import defaultdict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))
from benchlib import pct  # noqa: E402

PLACEMENT = {
    "run": "`mesh run` (controller and proxy in one process, no remoting)",
    "p": "{n} `mesh proxy` process{es}, 2 `mesh controller` processes",
    "inproc": "{n} proxies as actor systems in one process (InProcessProxies), 2 `mesh controller` processes",
}


def written(r: dict) -> float:
    return next((s for s, e in r["file_events"] if e == "CLOSE_WRITE"), r["t1"])


def first_read(r: dict) -> float | None:
    return next((s for s, e in r["file_events"] if e == "CLOSE_NOWRITE"), None)


def fmt(x: float, digits: int = 1) -> str:
    return "n/a" if x != x else f"{x:,.{digits}f}"


def spread(values: list[float], digits: int = 1) -> str:
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    mid = statistics.median(values)
    if len(values) == 1:
        return fmt(mid, digits)
    return f"{fmt(mid, digits)} [{fmt(min(values), digits)}-{fmt(max(values), digits)}]"


def placement(case: str, kind: str, n: int) -> str:
    return PLACEMENT[kind].format(n=n, es="" if n == 1 else "es")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--meta", required=True)
    args = ap.parse_args()
    meta = json.load(open(args.meta))
    records = [json.loads(line) for line in open(args.raw)]
    cases = [c for c in meta["cases"] if any(r.get("case") == c for r in records)]

    lat = defaultdict(lambda: defaultdict(lambda: {"e2e": [], "debounce": [], "after": [], "lost": 0, "loads": []}))
    cpu = defaultdict(lambda: defaultdict(dict))
    startup = defaultdict(list)
    info = {}
    for r in records:
        if r.get("type") == "change" and not r["warmup"]:
            cell = lat[r["case"]][r["round"]]
            w, read = written(r), first_read(r)
            if read is not None:
                cell["debounce"].append((read - w) * 1000)
            for a in r["applied"]:
                if a is None:
                    cell["lost"] += 1
                    continue
                cell["e2e"].append((a - w) * 1000)
                if read is not None:
                    cell["after"].append((a - read) * 1000)
            cell["loads"].append(r["load"][0])
        elif r.get("type") == "cpu":
            cpu[r["case"]][r["round"]][r["phase"]] = r
        elif r.get("type") == "startup":
            startup[r["case"]].append(r)
        if "kind" in r:
            info[r["case"]] = (r["kind"], r["proxies"])

    out = []
    out.append(f"Controller-cluster benchmark, {meta['started_utc']}" + (f": {meta['label']}" if meta.get("label") else ""))
    out.append("")
    runtimes = ", ".join(x.split(" [")[0] for x in meta.get("dotnet_runtimes", []))
    out.append(f"Machine: {meta['cpus']} vCPUs ({meta['cpu']}), {meta['mem_total_mib']:,} MiB, kernel {meta['kernel']}; "
               f"{runtimes}; Akka.NET {meta['akka']}; Mesh {meta['commit']}{' + local changes' if meta.get('dirty') else ''}. "
               f"Rounds: {meta['args']['rounds']} (case order rotated each round); {meta['args']['changes']} changes per case and round "
               f"after {meta['args']['warmup']} warm-up ones, {meta['args']['gap']} s apart on average; CPU windows "
               f"{meta['args']['cpu_seconds']:.0f} s; {meta['args']['policies']} policies ({meta['manifest_bytes']:,} bytes of manifests)."
               + (f" Environment for Mesh: `{meta['mesh_env']}`." if meta.get("mesh_env") else "")
               + (f" Environment for the controllers: `{meta['controller_env']}`." if meta.get("controller_env") else "")
               + (f" Added to the controllers' configuration: `{meta['controller_conf']}`." if meta.get("controller_conf") else ""))
    loads = [l for c in lat.values() for cell in c.values() for l in cell["loads"]]
    if loads:
        out.append(f"Load average (1 min) while changes were measured: median {statistics.median(loads):.1f}, "
                   f"{min(loads):.1f}-{max(loads):.1f}; at start {meta['load_at_start'][0]:.1f}"
                   + (f", at end {meta['load_at_end'][0]:.1f}" if meta.get("load_at_end") else "")
                   + (f"; {meta['minutes']} minutes in all." if meta.get("minutes") else "."))
    out.append("")
    out.append("From a manifest change to the snapshot applied, ms: median of the rounds' values [lowest-highest round]; "
               "\"pooled\" over every sample of every round. Debounce = write to the first controller's read of the file; "
               "after the read = that read to each proxy's AppliedAt.")
    out.append("")
    out.append("| case | placement | samples (lost) | p50 | p99 | p99 pooled | max | debounce p50 | after the read: p50 | p99 | p99 pooled |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case in cases:
        rounds = lat.get(case, {})
        if not rounds:
            continue
        kind, n = info[case]
        allv = [x for c in rounds.values() for x in c["e2e"]]
        alla = [x for c in rounds.values() for x in c["after"]]
        lost = sum(c["lost"] for c in rounds.values())
        out.append(
            f"| {case} | {placement(case, kind, n)} | {len(allv):,} ({lost}) "
            f"| {spread([pct(c['e2e'], .5) for c in rounds.values()])} | {spread([pct(c['e2e'], .99) for c in rounds.values()])} "
            f"| {fmt(pct(allv, .99))} | {fmt(max(allv) if allv else float('nan'))} "
            f"| {spread([pct(c['debounce'], .5) for c in rounds.values()])} "
            f"| {spread([pct(c['after'], .5) for c in rounds.values()])} | {spread([pct(c['after'], .99) for c in rounds.values()])} "
            f"| {fmt(pct(alla, .99))} |")
    out.append("")
    out.append("CPU seconds per minute (utime+stime; per proxy: the proxy processes' median, in-process: the host's CPU / proxies), "
               "idle and with a change every "
               f"{meta['args']['change_every']:.0f} s; RSS (VmRSS) at the end of the idle window, MiB; median of the rounds [range]. "
               "\"Others\" is the CPU the rest of the machine used meanwhile (other builds and tests), in CPUs.")
    out.append("")
    out.append("| case | proxy CPU-s/min idle | proxy CPU-s/min, changes | each controller CPU-s/min idle | changes | proxy RSS | controller RSS | "
               "in-process host RSS (per proxy) | start-up, s | others, CPUs |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case in cases:
        rounds = cpu.get(case, {})
        if not rounds:
            continue
        kind, n = info[case]

        def per(phase: str, role: str, fn) -> list[float]:
            vals = []
            for phases in rounds.values():
                rec = phases.get(phase)
                if not rec:
                    continue
                procs = [p for p in rec["procs"] if p["role"] == role]
                if procs:
                    vals.append(fn(rec, procs))
            return vals

        per_min = lambda rec, procs: statistics.median(p["cpu_s"] for p in procs) * 60 / rec["seconds"]
        host_per_proxy = lambda rec, procs: sum(p["cpu_s"] for p in procs) * 60 / rec["seconds"] / n
        rss = lambda rec, procs: statistics.median((p["rss_kib"] or 0) for p in procs) / 1024
        role = {"run": "run", "p": "proxy", "inproc": "inproc"}[kind]
        fn = host_per_proxy if kind == "inproc" else per_min
        host_rss = per("idle", "inproc", lambda rec, procs: procs[0]["rss_kib"] / 1024)
        others = [ph[k]["others_cpus_busy"] for ph in rounds.values() for k in ph]
        out.append(
            f"| {case} | {spread(per('idle', role, fn), 3)} | {spread(per('changes', role, fn), 3)} "
            f"| {spread(per('idle', 'controller', per_min), 2)} | {spread(per('changes', 'controller', per_min), 2)} "
            f"| {spread(per('idle', role, rss), 0) if kind != 'inproc' else 'n/a'} | {spread(per('idle', 'controller', rss), 0)} "
            f"| {(spread(host_rss, 0) + ' (' + fmt(statistics.median(host_rss) / n, 1) + ')') if host_rss else 'n/a'} "
            f"| {spread([s['seconds'] for s in startup.get(case, [])], 0)} | {spread(others, 2)} |")
    if any("latency" in ph for c in cpu.values() for ph in c.values()):
        out.append("")
        out.append("CPU a change costs, ms: the CPU used during the latency measurement less the idle rate over the same time, "
                   "divided by the changes; median of the rounds [range].")
        out.append("")
        out.append("| case | both controllers | all proxies | per proxy |")
        out.append("|---|---:|---:|---:|")
        for case in cases:
            kind, n = info[case]
            ctrl, prox = [], []
            for phases in cpu.get(case, {}).values():
                lat_rec, idle = phases.get("latency"), phases.get("idle")
                if not lat_rec or not idle:
                    continue
                rate = {p["name"]: p["cpu_s"] / idle["seconds"] for p in idle["procs"]}
                extra = {p["name"]: p["cpu_s"] - rate.get(p["name"], 0) * lat_rec["seconds"] for p in lat_rec["procs"]}
                ctrl.append(sum(v for k, v in extra.items() if k.startswith("controller")) / lat_rec["changes"] * 1000)
                prox.append(sum(v for k, v in extra.items() if not k.startswith("controller")) / lat_rec["changes"] * 1000)
            if ctrl:
                out.append(f"| {case} | {spread(ctrl) if kind != 'run' else 'n/a'} | {spread(prox)} | {spread([x / n for x in prox], 2)} |")
    lost_last = [(r["case"], r["round"], r["lost_last_change"]) for c in cpu.values() for ph in c.values() for r in ph.values()
                 if r.get("lost_last_change")]
    if lost_last:
        out.append("")
        out.append("Proxies that had not applied the last change of a CPU window within the timeout: "
                   + ", ".join(f"{c} round {rnd}: {n}" for c, rnd, n in lost_last))
    skipped = [r for r in records if r.get("type") == "skipped"]
    for r in skipped:
        out.append(f"\n{r['case']} round {r['round']} skipped: {r['why']}")
    if any(r.get("type") == "budget" for r in records):
        out.append("\nThe time budget ran out: cases missing from the tables were not measured in every round.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
