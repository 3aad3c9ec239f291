#!/usr/bin/env python3
"""Controller-cluster benchmark driver (issue 16), run by bench/cluster/run.sh.

For each case and round it builds a fresh world on 127.0.0.1: two `mesh controller` processes on one manifest
directory (fixed cluster ports, both as seed nodes) and N proxies (separate `mesh proxy` processes, or N actor
systems in one process: InProcessProxies), or one `mesh run` for comparison. Then:

1. latency: flips the port of one Egress (`curl/flip`) in its manifest file, CHANGES times, and reads from every
   proxy when it applied the snapshot carrying the new port (the proxy's own AppliedAt, from /config_dump or from the
   in-process host; the driver reads it only after POLL_DELAY, so its polling neither disturbs the delivery nor
   adds to the figure). Latency = AppliedAt - the time just before the file was opened for writing. The controllers'
   stderr is read line by line and time-stamped on arrival, so the moment each controller logged "Applied N
   change(s)" (after its debounce, once it had read and parsed the file) splits the latency into the debounce part and
   the part after the read;
2. idle CPU: utime+stime of every process over CPU_SECONDS with nothing happening;
3. CPU under changes: the same with a change every CHANGE_EVERY seconds (nothing polled meanwhile);
4. RSS (VmRSS) of every process at the end of the idle window.

Every record goes to raw.jsonl as it is taken; report.py turns them into the tables.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))
from benchlib import (Fatal, Recorder, T0, cpu_ticks, http_get, loadavg, log, machine_ticks, parse_time,  # noqa: E402
                      port_free, wait_until)

CLK_TCK = os.sysconf("SC_CLK_TCK")
IDENTITY = "curl/curl"
FLIP = "curl/flip"


# ---------------------------------------------------------------- /proc


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def mem_available_mib() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    return 0


# ---------------------------------------------------------------- processes


class Proc:
    """A process this driver started; stopped by its own pid only."""

    registry: list["Proc"] = []

    def __init__(self, name: str, argv: list[str], log_path: Path, stamp_stderr: bool = False, stdin: bool = False,
                 stdout_pipe: bool = False, env: dict | None = None):
        self.name = name
        self.log_path = log_path
        self.stamps: list[tuple[float, str]] = []  # (arrival time, line) of stderr lines, when stamped
        self._log = open(log_path, "ab")
        self.p = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdin or stdout_pipe else self._log,
            stderr=subprocess.PIPE if stamp_stderr else self._log,
            start_new_session=True,  # a Ctrl-C to the driver reaches them only through stop()
            env=env,
        )
        self.pid = self.p.pid
        Proc.registry.append(self)
        if stamp_stderr:
            threading.Thread(target=self._stamp, daemon=True).start()

    def _stamp(self) -> None:
        for raw in iter(self.p.stderr.readline, b""):
            now = time.time()
            line = raw.decode(errors="replace").rstrip("\n")
            if "ManifestWatcher[104]" in line:  # "Applied N change(s) from DIR": logged right after the read
                self.stamps.append((now, line))
            self._log.write(f"{now:.6f} {line}\n".encode())
            self._log.flush()

    def alive(self) -> bool:
        return self.p.poll() is None

    def stop(self, grace: float = 8.0) -> None:
        if self.p.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(grace)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.p.wait(5)
        if self in Proc.registry:
            Proc.registry.remove(self)
        self._log.close()

    @classmethod
    def stop_all(cls) -> None:
        for proc in list(reversed(cls.registry)):
            try:
                proc.stop(5.0)
            except Exception as e:  # keep stopping the others
                log(f"stopping {proc.name} (pid {proc.pid}): {e}")


class FileWatch:
    """filewatch.py on the manifest directory: when a file there was opened and closed, stamped as it happened."""

    def __init__(self, directory: Path, out: Path, fifo: bool):
        argv = (["chrt", "-f", "10"] if fifo else []) + [sys.executable, str(Path(__file__).with_name("filewatch.py")), str(directory)]
        self.proc = Proc("filewatch", argv, out / "filewatch.log", stdout_pipe=True)
        self.events: list[tuple[float, str, str]] = []
        first = self.proc.p.stdout.readline().decode().strip()
        if first != "ready":
            raise Fatal(f"filewatch did not start ({first!r}); see {out / 'filewatch.log'}")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in iter(self.proc.p.stdout.readline, b""):
            t, event, name = raw.decode(errors="replace").rstrip("\n").split(" ", 2)
            self.events.append((float(t), event, name))

    def since(self, t: float, name: str) -> list[tuple[float, str]]:
        return [(s, e) for s, e, n in list(self.events) if n == name and s >= t]


# ---------------------------------------------------------------- world


class World:
    def __init__(self, args, work: Path, out: Path):
        self.args = args
        self.work = work
        self.out = out
        self.manifests = work / "manifests"
        self.flip_path = self.manifests / "flip.yaml"
        self.port = 9000
        self.dotnet = args.dotnet
        self.mesh = str(work / "mesh-bin" / "mesh.dll")
        self.inproc = str(work / "inproc-bin" / "Mesh.InProcessProxies.dll")
        self.reference = str(work / "mesh-bin" / "reference.conf")
        self.config = work / "mesh.conf"
        self.controller_config = work / "controller.conf"
        self.filewatch: FileWatch | None = None
        self.logs = out / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def write_manifests(self) -> None:
        self.manifests.mkdir(parents=True, exist_ok=True)
        (self.manifests / "mesh-config.yaml").write_text(
            "apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata:\n  name: mesh-config\n"
            "  namespace: mesh-system\nspec:\n  traffic:\n    enableEgress: false\n  featureFlags:\n"
            "    enableEgressPolicy: true\n")
        # The mix of bench/Mesh.Benchmarks (a quarter each: http with routes, https by exact host, tcp with a /24
        # range, https by wildcard); 100 policies make a snapshot of about 20 KB.
        docs = ["apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes, namespace: curl}\n"
                "spec:\n  matches:\n  - {name: get, pathRegex: /get, methods: [GET]}\n"
                "  - {name: status, pathRegex: \"/status/[0-9]+\", methods: [GET, HEAD], headers: {user-agent: \"curl/.*\"}}\n"]
        for i in range(self.args.policies):
            ports, hosts, extra = [
                ("[{number: 80, protocol: http}]", f"[h{i}.example.com]",
                 "matches: [{apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: routes}]"),
                ("[{number: 443, protocol: https}]", f"[s{i}.example.org]", ""),
                (f"[{{number: {1000 + i % 5000}, protocol: tcp}}]", "[]", f"ipAddresses: [10.{i // 256 % 256}.{i % 256}.0/24]"),
                ("[{number: 443, protocol: https}]", f"[\"*.w{i}.net\"]", ""),
            ][i % 4]
            docs.append("kind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\n"
                        f"metadata: {{name: e{i}, namespace: curl}}\n"
                        "spec:\n  sources: [{kind: ServiceAccount, name: curl, namespace: curl}]\n"
                        f"  hosts: {hosts}\n  ports: {ports}\n  {extra}\n")
        (self.manifests / "policies.yaml").write_text("---\n".join(docs))
        self.flip(initial=True)
        # Mesh's defaults as shipped, except the decision log: no traffic flows here.
        self.config.write_text("mesh {\n  proxy { decision-log = none }\n}\n")
        # The controllers' file: the same, then what --controller-conf adds (e.g. the heartbeat they ship with set back).
        self.controller_config.write_text(self.config.read_text() + self.args.controller_conf.replace("\\n", "\n") + "\n")

    def flip(self, initial: bool = False) -> tuple[int, float, float]:
        """Rewrites flip.yaml in place with the next port; returns (port, time before open, time after close)."""
        self.port += 1
        text = ("kind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\n"
                "metadata:\n  name: flip\n  namespace: curl\n"
                "spec:\n  sources:\n  - kind: ServiceAccount\n    name: curl\n    namespace: curl\n"
                "  ipAddresses:\n  - 192.0.2.0/24\n"
                f"  ports:\n  - number: {self.port}\n    protocol: tcp\n")
        t0 = time.time()
        with open(self.flip_path, "w") as f:
            f.write(text)
        t1 = time.time()
        return self.port, t0, t1

    # ---- processes

    def env(self, extra: str = "") -> dict:
        e = dict(os.environ)
        e.update(DOTNET_NOLOGO="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
        for kv in (self.args.mesh_env + " " + extra).split():
            k, _, v = kv.partition("=")
            e[k] = v
        return e

    def start_controllers(self, tag: str) -> list[Proc]:
        ports = self.args.cluster_ports
        seeds = ",".join(f"127.0.0.1:{p}" for p in ports)
        procs = []
        for i, port in enumerate(ports):
            argv = [self.dotnet, self.mesh, "controller", "--manifests", str(self.manifests), "--config", str(self.controller_config),
                    "--cluster-port", str(port), "--seed-nodes", seeds, "--admin", f"127.0.0.1:{self.args.controller_admin[i]}"]
            procs.append(Proc(f"controller-{i}", argv, self.logs / f"{tag}-controller-{i}.log", stamp_stderr=True,
                              env=self.env(self.args.controller_env)))
        for i, c in enumerate(procs):
            wait_until(f"controller {i} ready", lambda: http_get(f"http://127.0.0.1:{self.args.controller_admin[i]}/ready")[0] == 200,
                       120, 0.5, check=lambda: self.check_alive(procs))
        return procs

    def start_run(self, tag: str) -> Proc:
        argv = [self.dotnet, self.mesh, "run", "--manifests", str(self.manifests), "--identity", IDENTITY, "--config",
                str(self.config), "--outbound-port", str(self.args.run_ports[0]), "--admin", f"127.0.0.1:{self.args.run_ports[1]}"]
        proc = Proc("mesh-run", argv, self.logs / f"{tag}-run.log", stamp_stderr=True, env=self.env())
        wait_until("mesh run ready", lambda: http_get(f"http://127.0.0.1:{self.args.run_ports[1]}/ready")[0] == 200, 120, 0.5,
                   check=lambda: self.check_alive([proc]))
        return proc

    def start_proxy_processes(self, n: int, tag: str) -> list[Proc]:
        controllers = ",".join(f"127.0.0.1:{p}" for p in self.args.cluster_ports)
        procs: list[Proc] = []
        for start in range(0, n, self.args.batch):
            batch = []
            for i in range(start, min(n, start + self.args.batch)):
                argv = [self.dotnet, self.mesh, "proxy", "--identity", IDENTITY, "--config", str(self.config),
                        "--controllers", controllers, "--outbound-port", str(self.args.outbound_base + i),
                        "--admin", f"127.0.0.1:{self.args.admin_base + i}"]
                batch.append(Proc(f"proxy-{i}", argv, self.logs / f"{tag}-proxy-{i}.log", env=self.env()))
            procs += batch
            for i, p in enumerate(batch, start):
                wait_until(f"proxy {i} ready", lambda i=i: http_get(f"http://127.0.0.1:{self.args.admin_base + i}/ready")[0] == 200,
                           180, 0.3, check=lambda: self.check_alive(procs))
        return procs

    def start_inproc(self, n: int, tag: str) -> Proc:
        controllers = ",".join(f"127.0.0.1:{p}" for p in self.args.cluster_ports)
        argv = [self.dotnet, self.inproc, "--proxies", str(n), "--controllers", controllers, "--reference", self.reference,
                "--identity", IDENTITY, "--flip-policy", FLIP]
        proc = Proc("inproc", argv, self.logs / f"{tag}-inproc.log", stdin=True, env=self.env())
        line = self.inproc_line(proc, "ready", timeout=600)
        log(f"in-process host: {line}")
        return proc

    @staticmethod
    def check_alive(procs: list[Proc]) -> None:
        for p in procs:
            if not p.alive():
                raise Fatal(f"{p.name} (pid {p.pid}) exited with {p.p.returncode}; see {p.log_path}")

    # ---- observation

    def inproc_line(self, proc: Proc, what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            raw = proc.p.stdout.readline()
            if not raw:
                raise Fatal(f"in-process host exited ({proc.p.poll()}); see {proc.log_path}")
            line = raw.decode(errors="replace").rstrip("\n")
            if line.startswith(f"@@ {what} "):
                return line[len(what) + 4:]
            proc._log.write((line + "\n").encode())
        raise Fatal(f"in-process host: no '{what}' within {timeout} s")

    def host_gc(self, kind: str, targets) -> dict | None:
        """The in-process host's collections so far and their total pause (its "gc" command); None for other kinds."""
        if kind != "inproc":
            return None
        targets.p.stdin.write(b"gc\n")
        targets.p.stdin.flush()
        return json.loads(self.inproc_line(targets, "gc"))

    def states(self, kind: str, targets, pending: list[int]) -> dict[int, dict]:
        """Per target index: {'port', 'at', 'version', 'reachable'}; only the pending ones are read."""
        if kind == "inproc":
            proc = targets
            proc.p.stdin.write(b"state\n")
            proc.p.stdin.flush()
            every = json.loads(self.inproc_line(proc, "state"))
            return {i: {"port": every[i]["flipPort"], "at": parse_time(every[i]["appliedAt"]), "version": every[i]["version"],
                        "reachable": every[i]["reachable"]} for i in pending}

        def one(i: int):
            status, body = http_get(f"http://127.0.0.1:{targets[i]}/config_dump")
            if status != 200:
                return i, None
            d = json.loads(body)
            port = next((r["Port"] for r in d.get("EgressRules", []) if r.get("Policy") == FLIP), None)
            return i, {"port": port, "at": parse_time(d["Proxy"]["AppliedAt"]), "version": d.get("Version"),
                       "reachable": d["Proxy"].get("ControllerReachable")}

        with ThreadPoolExecutor(8) as pool:
            return {i: s for i, s in pool.map(one, pending) if s is not None}

    def wait_applied(self, kind: str, targets, n: int, port: int, timeout: float) -> dict[int, dict]:
        done: dict[int, dict] = {}
        deadline = time.monotonic() + timeout
        while len(done) < n and time.monotonic() < deadline:
            pending = [i for i in range(n) if i not in done]
            for i, s in self.states(kind, targets, pending).items():
                if s["port"] == port:
                    done[i] = s
            if len(done) < n:
                time.sleep(0.05)
        return done


# ---------------------------------------------------------------- measurement


def run_case(world: World, case: str, rnd: int, rec: Recorder, args) -> None:
    tag = f"r{rnd}-{case}"
    m = re.fullmatch(r"(run|p|inproc)(\d*)", case)
    if not m:
        raise Fatal(f"unknown case {case}")
    kind, n = m.group(1), int(m.group(2) or 1)
    base = {"case": case, "round": rnd, "kind": kind, "proxies": n}
    controllers: list[Proc] = []
    proxies: list[Proc] = []
    host: Proc | None = None
    started = time.monotonic()
    busy0 = machine_ticks()
    try:
        if kind == "run":
            host = world.start_run(tag)
            readers = [host]
            targets = [world.args.run_ports[1]]
        else:
            controllers = world.start_controllers(tag)
            readers = controllers
            if kind == "p":
                need = n * args.mib_per_proxy + 1024
                if mem_available_mib() < need:
                    rec({**base, "type": "skipped", "why": f"{mem_available_mib()} MiB available, {need} MiB needed"})
                    log(f"{case}: skipped, not enough memory")
                    return
                proxies = world.start_proxy_processes(n, tag)
                targets = [args.admin_base + i for i in range(n)]
            else:
                host = world.start_inproc(n, tag)
                targets = host
            # Every proxy watches both controllers (SendToAll): wait until each server has all of them, so the first
            # change already fans out to everyone.
            def watched():
                counts = []
                for a in args.controller_admin:
                    _, body = http_get(f"http://127.0.0.1:{a}/metrics")
                    found = re.search(rb"^mesh_control_snapshot_watchers (\S+)", body, re.M)
                    counts.append(int(float(found.group(1))) if found else -1)
                return all(c == n for c in counts) and counts
            wait_until("every proxy watched by both controllers", watched, 120, 0.5)
        kind_t = "inproc" if kind == "inproc" else "http"
        count = 1 if kind == "run" else n
        all_procs = controllers + proxies + ([host] if host else [])
        proxy_pids = [p.pid for p in proxies] if kind == "p" else ([host.pid] if host else [])
        startup = {"seconds": round(time.monotonic() - started, 1), "machine_busy": machine_busy_since(busy0),
                   "cpu_s": {p.name: (cpu_ticks(p.pid) or 0) / CLK_TCK for p in all_procs}}
        rec({**base, "type": "startup", **startup, "load": loadavg()})
        log(f"{case} round {rnd}: {count} proxies ready in {startup['seconds']} s; settling {args.settle} s")
        time.sleep(args.settle)

        # 1. latency (the CPU it takes is kept too: less the idle rate, it is the CPU a change costs)
        lat_before = {p.pid: cpu_ticks(p.pid) for p in all_procs}
        lat_t = time.monotonic()
        lat_busy = machine_ticks()
        for k in range(args.warmup + args.changes):
            for r in readers:
                r.stamps.clear()
            gc0 = world.host_gc(kind_t, targets)
            port, t0, t1 = world.flip()
            time.sleep(args.poll_delay)
            done = world.wait_applied(kind_t, targets, count, port, args.apply_timeout)
            gc1 = world.host_gc(kind_t, targets)
            # The host's collections while the change was applied: one pauses all of its proxies at once.
            host_gc = {k: gc1[k] - gc0[k] for k in ("gen0", "gen1", "gen2", "pauseMs", "suspendMs") if k in gc1} if gc0 and gc1 else None
            logged = [next((s for s, _ in r.stamps if s >= t0), None) for r in readers]
            # After the driver's own open and CLOSE_WRITE, each OPEN/CLOSE_NOWRITE is a controller reading the file.
            events = [(s, e) for s, e in world.filewatch.since(t0, world.flip_path.name)]
            rec({**base, "type": "change", "k": k, "warmup": k < args.warmup, "port": port, "t0": t0, "t1": t1,
                 "file_events": events, "logged": logged, "applied": [done[i]["at"] if i in done else None for i in range(count)],
                 "lost": count - len(done), "load": loadavg(), "host_gc": host_gc})
            if len(done) < count:
                log(f"{case}: change {k}: {count - len(done)} of {count} proxies did not apply port {port} within {args.apply_timeout} s")
            time.sleep(random.uniform(args.gap * 0.5, args.gap * 1.5))
        lat_after = {p.pid: cpu_ticks(p.pid) for p in all_procs}
        busy_d, total_d = (a - b for a, b in zip(machine_ticks(), lat_busy))
        rec({**base, "type": "cpu", "phase": "latency", "seconds": time.monotonic() - lat_t, "changes": args.warmup + args.changes,
             "load": [loadavg(), loadavg()], "machine_cpus_busy": busy_d / max(1, total_d) * os.cpu_count(),
             "others_cpus_busy": (busy_d - sum((lat_after[q] or 0) - (lat_before[q] or 0) for q in lat_before)) / max(1, total_d) * os.cpu_count(),
             "procs": [{"name": p.name, "pid": p.pid, "role": role_of(p), "cpu_s": ((lat_after[p.pid] or 0) - (lat_before[p.pid] or 0)) / CLK_TCK,
                        "rss_kib": None} for p in all_procs]})
        summarize_latency(args.out / "raw.jsonl", case, rnd)

        # 2. idle CPU, then RSS; 3. CPU with a change every CHANGE_EVERY seconds
        for phase in ("idle", "changes"):
            before = {p.pid: cpu_ticks(p.pid) for p in all_procs}
            busy = machine_ticks()
            t = time.monotonic()
            load0 = loadavg()
            last_port = None
            if phase == "idle":
                time.sleep(args.cpu_seconds)
            else:
                nxt = t
                while True:
                    nxt += args.change_every
                    if nxt > t + args.cpu_seconds:
                        break
                    time.sleep(max(0.0, nxt - time.monotonic()))
                    last_port, _, _ = world.flip()
                time.sleep(max(0.0, t + args.cpu_seconds - time.monotonic()))
            seconds = time.monotonic() - t
            after = {p.pid: cpu_ticks(p.pid) for p in all_procs}
            rss = {p.pid: rss_kib(p.pid) for p in all_procs}
            ours = sum((after[pid] or 0) - (before[pid] or 0) for pid in before)
            busy_d, total_d = (a - b for a, b in zip(machine_ticks(), busy))
            record = {**base, "type": "cpu", "phase": phase, "seconds": seconds, "load": [load0, loadavg()],
                      "machine_cpus_busy": busy_d / max(1, total_d) * os.cpu_count(),
                      "others_cpus_busy": (busy_d - ours) / max(1, total_d) * os.cpu_count(),
                      "procs": [{"name": p.name, "pid": p.pid, "role": role_of(p), "cpu_s": ((after[p.pid] or 0) - (before[p.pid] or 0)) / CLK_TCK,
                                 "rss_kib": rss[p.pid]} for p in all_procs]}
            if phase == "changes" and last_port is not None:
                time.sleep(args.poll_delay)
                done = world.wait_applied(kind_t, targets, count, last_port, args.apply_timeout)
                record["lost_last_change"] = count - len(done)
            rec(record)
            world.check_alive(all_procs)
            per = [p for p in record["procs"] if p["role"] in ("proxy", "inproc", "run")]
            log(f"{case} round {rnd} {phase}: {sum(p['cpu_s'] for p in per) / count * 60 / seconds:.3f} CPU-s per proxy per minute, "
                f"load {record['load'][1][0]}")
    finally:
        for p in proxies:
            p.stop(8.0)
        if host:
            if kind == "inproc" and host.alive():
                try:
                    host.p.stdin.write(b"quit\n")
                    host.p.stdin.flush()
                    host.p.wait(30)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            host.stop(8.0)
        for c in controllers:
            c.stop(8.0)


def role_of(p: Proc) -> str:
    return "run" if p.name == "mesh-run" else p.name.split("-")[0]  # controller, proxy, inproc


def machine_busy_since(start: tuple[int, int]) -> float:
    b, t = (a - s for a, s in zip(machine_ticks(), start))
    return b / max(1, t) * os.cpu_count()


def written(r: dict) -> float:
    """When the change was complete: the driver's CLOSE_WRITE as filewatch stamped it (else the driver's own clock)."""
    return next((s for s, e in r["file_events"] if e == "CLOSE_WRITE"), r["t1"])


def summarize_latency(raw: Path, case: str, rnd: int) -> None:
    lat, after = [], []
    lost = 0
    gcs = []
    for line in open(raw):
        r = json.loads(line)
        if r.get("type") != "change" or r["case"] != case or r["round"] != rnd or r["warmup"]:
            continue
        if r.get("host_gc"):
            gcs.append(r["host_gc"])
        first_read = next((s for s, e in r["file_events"] if e == "CLOSE_NOWRITE"), None)
        for a in r["applied"]:
            if a is None:
                lost += 1
                continue
            lat.append((a - written(r)) * 1000)
            if first_read:
                after.append((a - first_read) * 1000)
    if lat:
        lat.sort()
        after.sort()
        q = lambda xs, p: xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else float("nan")
        log(f"{case} round {rnd}: change->applied p50 {q(lat, .5):.1f} ms p99 {q(lat, .99):.1f} ms max {lat[-1]:.1f} ms; "
            f"after the read p50 {q(after, .5):.1f} p99 {q(after, .99):.1f} ms; {len(lat)} samples, {lost} lost")
    if gcs:
        hit = [g for g in gcs if g["gen0"] > 0]
        log(f"{case} round {rnd}: the in-process host collected during {len(hit)} of {len(gcs)} changes, "
            f"pausing {sum(g['pauseMs'] for g in hit):.0f} ms in all (longest {max((g['pauseMs'] for g in hit), default=0):.0f} ms)")


def write_meta(args, cases: list[str]) -> None:
    def sh(*argv: str) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    repo = Path(__file__).resolve().parents[2]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    akka = re.search(r'Include="Akka" Version="([^"]+)"', (repo / "Directory.Packages.props").read_text())
    policies_bytes = sum(f.stat().st_size for f in (args.work / "manifests").iterdir())
    meta = {
        "started_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": sh("git", "-C", str(repo), "rev-parse", "--short", "HEAD"),
        "dirty": bool(sh("git", "-C", str(repo), "status", "--porcelain", "--", "src", "bench", "hocon")),
        "kernel": sh("uname", "-r"), "cpu": cpu, "cpus": os.cpu_count(),
        "mem_total_mib": int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1024,
        "dotnet_runtimes": [l for l in sh(args.dotnet, "--list-runtimes").splitlines() if "NETCore.App" in l],
        "akka": akka.group(1) if akka else "", "python": sys.version.split()[0],
        "cases": cases, "manifest_bytes": policies_bytes, "label": args.label, "mesh_env": args.mesh_env, "controller_env": args.controller_env, "controller_conf": args.controller_conf,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "load_at_start": loadavg(),
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dotnet", default="dotnet")
    ap.add_argument("--cases", default="run p1 p10 p30 inproc100")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--changes", type=int, default=40)
    # 40: the measured changes are the steady state. In the first ~35 changes after a world starts, the in-process
    # host's first collections promote 22-40 MB each (state its 100 actor systems build in their first half minute)
    # and pause it 44-120 ms; later ones promote ~1 MB in 15-25 ms (docs/benchmarks.md, 2026-12-03 midday). The
    # warm-up changes are recorded too (raw.jsonl, "warmup": true).
    ap.add_argument("--warmup", type=int, default=40)
    ap.add_argument("--gap", type=float, default=0.5, help="mean pause between latency changes, s (±50%%)")
    ap.add_argument("--poll-delay", type=float, default=0.5)
    ap.add_argument("--apply-timeout", type=float, default=10.0)
    ap.add_argument("--settle", type=float, default=10.0)
    ap.add_argument("--cpu-seconds", type=float, default=60.0)
    ap.add_argument("--change-every", type=float, default=5.0)
    ap.add_argument("--policies", type=int, default=100)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--mib-per-proxy", type=int, default=160)
    ap.add_argument("--cluster-ports", default="26551,26552")
    ap.add_argument("--controller-admin", default="26561,26562")
    ap.add_argument("--run-ports", default="26571,26572")
    ap.add_argument("--outbound-base", type=int, default=27000)
    ap.add_argument("--admin-base", type=int, default=28000)
    ap.add_argument("--budget", type=float, default=0, help="seconds; no new case starts after this (0: none)")
    ap.add_argument("--mesh-env", default="", help="VAR=value ... for every Mesh process")
    ap.add_argument("--controller-env", default="", help="VAR=value ... for the mesh controller processes only (after --mesh-env)")
    ap.add_argument("--controller-conf", default="", help="HOCON appended to the mesh controller processes' configuration file only")
    ap.add_argument("--label", default="", help="what this run measures (kept in meta.json and the report)")
    args = ap.parse_args()
    args.cluster_ports = [int(x) for x in args.cluster_ports.split(",")]
    args.controller_admin = [int(x) for x in args.controller_admin.split(",")]
    args.run_ports = [int(x) for x in args.run_ports.split(",")]
    cases = args.cases.split()

    biggest = max([int(re.sub(r"\D", "", c) or 1) for c in cases if c.startswith("p")] or [0])
    wanted = args.cluster_ports + args.controller_admin + args.run_ports + \
        [args.outbound_base + i for i in range(biggest)] + [args.admin_base + i for i in range(biggest)]
    busy = [p for p in wanted if not port_free(p)]
    if busy:
        log(f"FATAL: ports in use: {busy[:10]}")
        return 1

    world = World(args, args.work, args.out)
    world.write_manifests()
    write_meta(args, cases)
    fifo = subprocess.run(["chrt", "-f", "10", "true"], capture_output=True).returncode == 0
    try:
        world.filewatch = FileWatch(world.manifests, world.logs, fifo)
    except Fatal as e:
        log(f"FATAL: {e}")
        Proc.stop_all()
        return 1
    rec = Recorder(args.out / "raw.jsonl")

    def on_term(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_term)

    try:
        for rnd in range(args.rounds):
            order = cases[rnd % len(cases):] + cases[:rnd % len(cases)]  # rotate the order each round
            for case in order:
                if args.budget and time.monotonic() - T0 > args.budget:
                    log(f"budget of {args.budget:.0f} s spent: {case} round {rnd} and later not run")
                    rec({"type": "budget", "case": case, "round": rnd})
                    return 3
                log(f"--- {case}, round {rnd + 1} of {args.rounds} (load {loadavg()})")
                run_case(world, case, rnd, rec, args)
    except KeyboardInterrupt as e:
        log(f"interrupted ({e})")
        return 130
    except Fatal as e:
        log(f"FATAL: {e}")
        return 1
    finally:
        Proc.stop_all()
        meta_path = args.out / "meta.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
            meta["load_at_end"] = loadavg()
            meta["minutes"] = round((time.monotonic() - T0) / 60, 1)
            meta_path.write_text(json.dumps(meta, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
