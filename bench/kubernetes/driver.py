#!/usr/bin/env python3
"""Kubernetes watcher benchmark driver (issue 12), run by bench/kubernetes/run.sh.

Real binaries, separate processes, all on 127.0.0.1: the fake API server (tests/Mesh.FakeKubeApi, journal in a
state directory), `mesh controller --kubernetes` reading it, and one `mesh proxy` fed by that controller.

Once per run the world is written over HTTP into a seed state directory (a small keep-alive client on THREADS
threads, JSON POSTs as kubectl create would send them): the CRDs `mesh install --dry-run` renders (server-side
apply, as the E2E test does), the namespace mesh-system with the MeshConfig (egress policy on, passthrough off),
NAMESPACES namespaces enrolled as `mesh namespace add` enrols them (label openservicemesh.io/monitored-by=mesh,
annotation openservicemesh.io/sidecar-injection=enabled), each with one HTTPRouteGroup and PER_NAMESPACE Egress
objects of ten shapes (http with and without routes, https by exact and wildcard SNI, tcp with CIDRs, two ports,
tcp-server-first), sources spread over ACCOUNTS service accounts. Then the history is compacted (as etcd's
periodic compaction would have), and the fake stopped. Every round starts a fresh fake on a copy of that directory,
so every round sees the same world, with no status written yet (a fresh install).

Per round:
1. cold start: `mesh controller` started on the populated store; first sync = process start to its admin /ready
   answering 200 (polled every 100 ms); the controller's stderr is stamped line by line on arrival, giving when each
   source's first list was converted ("... listed") and the aggregator's resyncs. CPU (utime+stime) and memory
   (VmRSS, VmHWM, RssAnon from /proc) at ready;
2. status: the time until the status writer has written every Egress (mesh_control_status_writes_total), and the
   requests it took (the fake's request log), then SETTLE s of idle (idle CPU) and memory again;
3. proxy: `mesh proxy --identity bench-0000/app-N` (N: the account of the Egress changed below); time to ready;
   then SETTLE s of idle, the rate the CPU of the changes below is measured against;
4. latency: WARMUP + CHANGES merge patches of one Egress that proxy's identity uses (its tcp port: a new value each
   time), GAP s apart (±50 %). Latency = the proxy's own AppliedAt of the snapshot carrying the new port (read from its
   /config_dump after POLL_DELAY, so the polling is not on the path) minus the time just before the PATCH was sent.
   The fake's request log gives when the controller then wrote that Egress's status (API change -> status written);
5. foreign: FOREIGN merge patches of an Egress in the last namespace, which the proxy's identity does not use; per
   change: the status write time, and whether the served proxy applied anything (it should not);
6. restart: the controller stopped (SIGTERM) and started again on the same store, now with every status written (a
   rolling update): time to ready, requests until the status writer is done, memory;
BASELINE=1 also starts a controller on a store with no namespaces and no Egress (CRDs and MeshConfig only) each
round: its memory is what the process costs before any object.

Every record goes to raw.jsonl as it is taken; report.py turns them into the tables.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
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
EGRESS_API = "/apis/policy.openservicemesh.io/v1alpha1"
FLIP_INDEX = 7  # the Egress changed in the served namespace (a tcp rule) and in the foreign one


class OutOfBudget(Exception):
    pass


# ---------------------------------------------------------------- /proc


def memory(pid: int) -> dict:
    """VmRSS, VmHWM, RssAnon, RssFile in KiB, and the thread count."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "VmSize"):
                    out[key] = int(rest.split()[0])
                elif key == "Threads":
                    out[key] = int(rest.strip())
    except OSError:
        pass
    return out


def metrics(admin: int) -> dict[str, float]:
    """The controller's mesh_* series, 'name{labels}' -> value."""
    status, body = http_get(f"http://127.0.0.1:{admin}/metrics", 5.0)
    out = {}
    if status != 200:
        return out
    for line in body.decode(errors="replace").splitlines():
        if line.startswith("mesh_"):
            name, _, value = line.rpartition(" ")
            try:
                out[name] = float(value)
            except ValueError:
                pass
    return out


# ---------------------------------------------------------------- processes


class Proc:
    """A process this driver started; stopped by its own pid only."""

    registry: list["Proc"] = []

    def __init__(self, name: str, argv: list[str], log_path: Path, stamp_stderr: bool = False, stdout_pipe: bool = False,
                 env: dict | None = None):
        self.name = name
        self.log_path = log_path
        self.stamps: list[tuple[float, str]] = []  # (arrival time, line) of every stderr line, when stamped
        self._log = open(log_path, "ab")
        self.started = time.time()
        self.p = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout_pipe else self._log,
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
            self.stamps.append((now, line))
            try:
                self._log.write(f"{now:.6f} {line}\n".encode())
                self._log.flush()
            except ValueError:  # closed by stop()
                return

    def first(self, pattern: str, since: float = 0.0) -> float | None:
        rx = re.compile(pattern)
        return next((t for t, line in list(self.stamps) if t >= since and rx.search(line)), None)

    def alive(self) -> bool:
        return self.p.poll() is None

    def stop(self, grace: float = 15.0) -> float:
        """SIGTERM, then SIGKILL after the grace period; returns how long it took."""
        t = time.monotonic()
        if self.p.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(grace)
            except subprocess.TimeoutExpired:
                log(f"{self.name} (pid {self.pid}) did not stop within {grace:.0f} s: SIGKILL")
                os.kill(self.pid, signal.SIGKILL)
                self.p.wait(5)
        if self in Proc.registry:
            Proc.registry.remove(self)
        time.sleep(0.05)  # let the stamping thread drain
        self._log.close()
        return time.monotonic() - t

    @classmethod
    def stop_all(cls) -> None:
        for proc in list(reversed(cls.registry)):
            try:
                proc.stop(5.0)
            except Exception as e:  # keep stopping the others
                log(f"stopping {proc.name} (pid {proc.pid}): {e}")


def check_alive(*procs: Proc) -> None:
    for p in procs:
        if p is not None and not p.alive():
            raise Fatal(f"{p.name} (pid {p.pid}) exited with {p.p.returncode}; see {p.log_path}")


# ---------------------------------------------------------------- the API client


class Api:
    """HTTP/1.1 keep-alive client of the fake API server, one connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def request(self, method: str, path: str, body=None, content_type: str = "application/json") -> tuple[int, bytes]:
        for attempt in range(3):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                headers = {"Content-Type": content_type} if body is not None else {}
                data = body if isinstance(body, (bytes, type(None))) else (body if isinstance(body, str) else json.dumps(body)).encode()
                conn.request(method, path, body=data, headers=headers)
                r = conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
                time.sleep(0.2)
        raise AssertionError("unreachable")

    def must(self, method: str, path: str, body=None, content_type: str = "application/json", ok=(200, 201)) -> dict:
        status, payload = self.request(method, path, body, content_type)
        if status not in ok:
            raise Fatal(f"{method} {path}: HTTP {status}: {payload[:300]!r}")
        return json.loads(payload) if payload else {}


# ---------------------------------------------------------------- the world


def egress_name(i: int) -> str:
    return f"e{i:02d}-" + ["http-routes", "http", "http-8080", "https", "https-wildcard", "https-two", "tcp-pg", "tcp-flip",
                          "server-first", "tcp-two-ports"][i % 10]


def account_of(i: int, accounts: int) -> str:
    return f"app-{i % accounts}"


def egress(ns: int, i: int, accounts: int) -> dict:
    """The i-th Egress of namespace number ns: ten shapes in turn, as a namespace of a real mesh might hold."""
    name = f"bench-{ns:04d}"
    sources = [{"kind": "ServiceAccount", "name": account_of(i, accounts), "namespace": name}]
    if i % 10 == 4 and accounts > 1:
        sources.append({"kind": "ServiceAccount", "name": account_of(i + 1, accounts), "namespace": name})
    routes = [{"apiGroup": "specs.smi-spec.io/v1alpha4", "kind": "HTTPRouteGroup", "name": "routes"}]
    a, b = ns // 256 % 256, ns % 256
    spec: dict = {"sources": sources}
    shape = i % 10
    if shape == 0:
        spec.update(hosts=[f"api-{ns}.example.com"], ports=[{"number": 80, "protocol": "http"}], matches=routes)
    elif shape == 1:
        spec.update(hosts=[f"svc-{i}.{name}.example.com", f"www.{name}.example.org"], ports=[{"number": 80, "protocol": "http"}])
    elif shape == 2:
        spec.update(hosts=[f"metrics.{name}.example.net"], ports=[{"number": 8080, "protocol": "http"}], matches=routes)
    elif shape == 3:
        spec.update(hosts=[f"api.{name}.example.com"], ports=[{"number": 443, "protocol": "https"}])
    elif shape == 4:
        spec.update(hosts=[f"*.cdn-{ns}.example.com"], ports=[{"number": 443, "protocol": "https"}])
    elif shape == 5:
        spec.update(hosts=["login.example.org", f"auth-{ns}.example.org"], ports=[{"number": 443, "protocol": "https"}])
    elif shape == 6:
        spec.update(ipAddresses=[f"10.{a}.{b}.0/24"], ports=[{"number": 5432, "protocol": "tcp"}])
    elif shape == 7:
        spec.update(ipAddresses=["192.0.2.0/24"], ports=[{"number": 9000, "protocol": "tcp"}])
    elif shape == 8:
        spec.update(ipAddresses=[f"10.{a}.{b}.7/32"], ports=[{"number": 3306, "protocol": "tcp-server-first"}])
    else:
        spec.update(ipAddresses=[f"172.16.{b % 16 * 16}.0/20"], ports=[{"number": 6379, "protocol": "tcp"}, {"number": 6380, "protocol": "tcp"}])
    return {"apiVersion": "policy.openservicemesh.io/v1alpha1", "kind": "Egress",
            "metadata": {"name": egress_name(i) if i < 10 else f"{egress_name(i)}-{i // 10}", "namespace": name,
                         "labels": {"app.kubernetes.io/part-of": "bench"}},
            "spec": spec}


def route_group(ns: int) -> dict:
    return {"apiVersion": "specs.smi-spec.io/v1alpha4", "kind": "HTTPRouteGroup",
            "metadata": {"name": "routes", "namespace": f"bench-{ns:04d}"},
            "spec": {"matches": [
                {"name": "get", "pathRegex": "/api/v[0-9]+/.*", "methods": ["GET", "HEAD"]},
                {"name": "post", "pathRegex": "/api/v1/items", "methods": ["POST"], "headers": {"content-type": "application/json"}},
                {"name": "health", "pathRegex": "/healthz"}]}}


def render_crds(args) -> list[tuple[str, str]]:
    """(name, YAML) of every CRD `mesh install --dry-run` renders, in its order."""
    out = subprocess.run([args.dotnet, args.mesh, "install", "--dry-run"], capture_output=True, text=True, timeout=120, env=env_of(args))
    if out.returncode != 0:
        raise Fatal(f"mesh install --dry-run failed: {out.stderr[-500:]}")
    crds = []
    for doc in re.split(r"(?m)^---\s*$", out.stdout):
        if not re.search(r"(?m)^kind: CustomResourceDefinition\s*$", doc):
            continue
        name = re.search(r"(?m)^metadata:\s*\n(?:  .*\n)*?  name: (\S+)", doc)
        if not name:
            raise Fatal(f"a CRD without metadata.name in mesh install --dry-run:\n{doc[:300]}")
        crds.append((name.group(1).strip("'\""), doc))
    if len(crds) != 5:
        raise Fatal(f"expected 5 CRDs from mesh install --dry-run (Egress x2, HTTPRouteGroup, MeshConfig x2), got {len(crds)}")
    return crds


def env_of(args) -> dict:
    e = dict(os.environ)
    e.update(DOTNET_NOLOGO="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    for kv in args.mesh_env.split():
        k, _, v = kv.partition("=")
        e[k] = v
    return e


class Fake:
    """The fake API server process on a state directory."""

    def __init__(self, args, state: Path, tag: str):
        self.state = state
        argv = [args.dotnet, args.fake, "--listen", "127.0.0.1:0", "--state", str(state), "--print-port",
                "--bookmark-interval", str(args.bookmark_interval)]
        t = time.monotonic()
        self.proc = Proc(f"fake-api-{tag}", argv, args.out / "logs" / f"{tag}-fake-api.log", stdout_pipe=True, env=env_of(args))
        line = self.proc.p.stdout.readline().decode().strip()
        if not line.isdigit():
            self.proc.stop()
            raise Fatal(f"the fake API server did not print its port ({line!r}); see {self.proc.log_path}")
        self.start_seconds = time.monotonic() - t
        self.port = int(line)
        self.api = Api(self.port)
        self.kubeconfig = state / "kubeconfig"

    def requests(self) -> list[dict]:
        return json.loads(self.api.request("GET", "/_fake/requests")[1])

    def clear_requests(self) -> None:
        self.api.must("DELETE", "/_fake/requests")

    def stop(self) -> None:
        self.proc.stop()


def populate(args, crds, state: Path, namespaces: int, rec) -> dict:
    """Writes the world into a fresh state directory over HTTP; returns what it wrote and how long it took."""
    state.mkdir(parents=True)
    fake = Fake(args, state, f"populate-{namespaces}")
    api = fake.api
    t = time.monotonic()
    counts = {"crds": 0, "namespaces": 0, "meshconfigs": 0, "httproutegroups": 0, "egresses": 0}
    for name, doc in crds:
        api.must("PATCH", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}?fieldManager=bench", doc, "application/apply-patch+yaml")
        counts["crds"] += 1
    api.must("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "mesh-system"}})
    api.must("POST", "/apis/config.openservicemesh.io/v1alpha2/namespaces/mesh-system/meshconfigs", {
        "apiVersion": "config.openservicemesh.io/v1alpha2", "kind": "MeshConfig",
        "metadata": {"name": "mesh-config", "namespace": "mesh-system"},
        "spec": {"traffic": {"enableEgress": False}, "featureFlags": {"enableEgressPolicy": True}, "sidecar": {"logLevel": "error"}}})
    counts["meshconfigs"] += 1

    def one_namespace(ns: int) -> int:
        name = f"bench-{ns:04d}"
        api.must("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {
            "name": name, "labels": {"openservicemesh.io/monitored-by": "mesh"},
            "annotations": {"openservicemesh.io/sidecar-injection": "enabled"}}})
        api.must("POST", f"/apis/specs.smi-spec.io/v1alpha4/namespaces/{name}/httproutegroups", route_group(ns))
        for i in range(args.per_namespace):
            api.must("POST", f"{EGRESS_API}/namespaces/{name}/egresses", egress(ns, i, args.accounts))
        return 2 + args.per_namespace

    with ThreadPoolExecutor(args.threads) as pool:
        written = sum(pool.map(one_namespace, range(namespaces)))
    counts["namespaces"] = namespaces
    counts["httproutegroups"] = namespaces
    counts["egresses"] = namespaces * args.per_namespace
    seconds = time.monotonic() - t
    state_rv = api.must("GET", "/_fake/state")
    api.must("POST", "/_fake/compact")
    egress_bytes = len(json.dumps(egress(0, FLIP_INDEX, args.accounts)))
    fake.clear_requests()
    fake_rss = memory(fake.proc.pid)
    fake.stop()
    record = {"type": "populate", "namespaces": namespaces, "per_namespace": args.per_namespace, "counts": counts,
              "requests": written + len(crds) + 2, "seconds": round(seconds, 2), "threads": args.threads,
              "resource_version": state_rv.get("resourceVersion"), "journal_bytes": (state / "journal.jsonl").stat().st_size,
              "egress_json_bytes_example": egress_bytes, "fake_start_seconds": round(fake.start_seconds, 2), "fake_mem": fake_rss,
              "load": loadavg()}
    rec(record)
    log(f"populated {namespaces} namespaces, {counts['egresses']:,} Egress in {seconds:.1f} s "
        f"({record['requests'] / max(seconds, 1e-9):,.0f} requests/s), journal {record['journal_bytes'] / 1e6:.1f} MB")
    return record


class Controller:
    def __init__(self, args, fake: Fake, tag: str):
        self.args = args
        self.admin = args.controller_admin
        argv = [args.dotnet, args.mesh, "controller", "--kubernetes", "--kubeconfig", str(fake.kubeconfig), "--context", "fake",
                "--config", str(args.work / "controller.conf"), "--cluster-port", str(args.cluster_port),
                "--seed-nodes", f"127.0.0.1:{args.cluster_port}", "--admin", f"127.0.0.1:{self.admin}"]
        self.proc = Proc(f"controller-{tag}", argv, args.out / "logs" / f"{tag}-controller.log", stamp_stderr=True, env=env_of(args))

    def wait_ready(self, timeout: float) -> float:
        """Polls /ready every 100 ms; returns the wall-clock time it first answered 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _ = http_get(f"http://127.0.0.1:{self.admin}/ready", 2.0)
            now = time.time()
            if status == 200:
                return now
            check_alive(self.proc)
            time.sleep(0.1)  # each /ready merges every source's validation report (10,000 objects): not too often
        _, body = http_get(f"http://127.0.0.1:{self.admin}/ready", 2.0)
        raise Fatal(f"controller not ready within {timeout:.0f} s: {body[:300]!r}")

    def startup_marks(self) -> dict:
        """When (seconds after process start) the stamped log lines of the first sync arrived."""
        s = self.proc.started
        marks = {}
        for key, pattern in [
            ("admin_listening", r"controller .* serving .*; admin http"),
            ("namespaces_listed", r"Namespaces enrolled in mesh"),
            ("meshconfig_listed", r"meshconfig-watcher-supervisor listed"),
            ("routegroups_listed", r"httproutegroup-watcher-supervisor listed"),
            ("egress_listed", r"egress-watcher-supervisor listed"),
            ("egress_resynced", r"Resynchronised egress-watcher-supervisor"),
            ("last_resync", r"Resynchronised "),
            ("cluster_up", r"to \[Up\]"),
        ]:
            t = self.proc.first(pattern)
            marks[key] = None if t is None else round(t - s, 3)
        # every "listed" line (the control plane's watchers and the status writer's own): the last one too
        listed = [t for t, line in list(self.proc.stamps) if " listed: " in line]
        marks["listed_lines"] = len(listed)
        marks["last_listed"] = round(max(listed) - s, 3) if listed else None
        resyncs = [t for t, line in list(self.proc.stamps) if "Resynchronised " in line]
        marks["last_resync"] = round(max(resyncs) - s, 3) if resyncs else None
        return marks


def request_counts(reqs: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for r in reqs:
        sub = "/status" if r["path"].endswith("/status") else ""
        key = f"{r['method']} {r.get('resource') or r['path']}{sub}"
        if r.get("verb") in ("list", "watch"):
            key = f"{r['verb']} {r.get('resource')}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def wait_statuses(ctl: Controller, expected: int, outcome: str, timeout: float, rec_base: dict) -> dict:
    """Until the status writer has handled every Egress (its counter reaches `expected` in total and `outcome` moved),
    quiet for 2 s. Returns {'seconds' (since process start), 'by_outcome', 'settled'}."""
    t_start = ctl.proc.started
    last, last_change, seen, by = None, time.time(), None, {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = metrics(ctl.admin)
        by = {k.split('"')[1]: v for k, v in m.items() if k.startswith("mesh_control_status_writes_total{")}
        total = sum(by.values())
        now = time.time()
        if total != last:
            last, last_change = total, now
        if total >= expected and now - last_change >= 2.0:
            seen = by
            break
        check_alive(ctl.proc)
        time.sleep(0.25)
    done = {"settled": seen is not None, "seconds": round(last_change - t_start, 2), "by_outcome": seen or by, "expected": expected}
    return done


def proxy_state(admin: int, policy: str) -> dict | None:
    status, body = http_get(f"http://127.0.0.1:{admin}/config_dump", 2.0)
    if status != 200:
        return None
    d = json.loads(body)
    ports = [r["Port"] for r in d.get("EgressRules", []) if r.get("Policy") == policy]
    return {"ports": ports, "at": parse_time(d["Proxy"]["AppliedAt"]), "version": d.get("Version"),
            "order": d["Proxy"].get("InputOrder"), "reachable": d["Proxy"].get("ControllerReachable"),
            "rules": len(d.get("EgressRules", []))}


def wait_port(admin: int, policy: str, port: int, timeout: float) -> dict | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = proxy_state(admin, policy)
        if s and port in s["ports"]:
            return s
        time.sleep(0.05)
    return None


def patch_port(api: Api, ns: str, name: str, port: int) -> tuple[float, float, dict]:
    body = json.dumps({"spec": {"ports": [{"number": port, "protocol": "tcp"}]}})
    t0 = time.time()
    status, payload = api.request("PATCH", f"{EGRESS_API}/namespaces/{ns}/egresses/{name}", body, "application/merge-patch+json")
    t1 = time.time()
    if status != 200:
        raise Fatal(f"PATCH {ns}/{name}: HTTP {status}: {payload[:200]!r}")
    meta = json.loads(payload)["metadata"]
    return t0, t1, {"resourceVersion": meta.get("resourceVersion"), "generation": meta.get("generation")}


def status_writes(reqs: list[dict], ns: str, name: str) -> list[float]:
    """Completion times of the controller's status PATCHes of one Egress, from the fake's request log."""
    path = f"{EGRESS_API}/namespaces/{ns}/egresses/{name}/status"
    return sorted(parse_time(r["time"]) for r in reqs if r["method"] == "PATCH" and r["path"] == path and r["status"] == 200)


# ---------------------------------------------------------------- a round


class Budget:
    def __init__(self, seconds: float):
        self.seconds = seconds

    def left(self) -> float:
        return self.seconds - (time.monotonic() - T0) if self.seconds else float("inf")

    def need(self, seconds: float, what: str) -> None:
        if self.left() < seconds:
            raise OutOfBudget(what)


def settle_idle(args, ctl: Controller, fake: Fake, seconds: float) -> dict:
    before = cpu_ticks(ctl.proc.pid)
    fake_before = cpu_ticks(fake.proc.pid)
    busy = machine_ticks()
    t = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - t
    b, tot = (a - s for a, s in zip(machine_ticks(), busy))
    return {"seconds": round(elapsed, 2), "controller_cpu_s": ((cpu_ticks(ctl.proc.pid) or 0) - (before or 0)) / CLK_TCK,
            "fake_cpu_s": ((cpu_ticks(fake.proc.pid) or 0) - (fake_before or 0)) / CLK_TCK,
            "machine_cpus_busy": round(b / max(1, tot) * os.cpu_count(), 2)}


def baseline_round(args, rnd: int, rec, budget: Budget) -> None:
    budget.need(60, "baseline")
    state = args.work / f"r{rnd}-empty-state"
    shutil.copytree(args.work / "empty-state", state)
    fake = Fake(args, state, f"r{rnd}-empty")
    ctl = None
    try:
        ctl = Controller(args, fake, f"r{rnd}-empty")
        ready = ctl.wait_ready(120)
        mem_ready = memory(ctl.proc.pid)
        idle = settle_idle(args, ctl, fake, args.settle)
        rec({"type": "startup", "case": "empty", "round": rnd, "phase": "cold", "ready_s": round(ready - ctl.proc.started, 3),
             "cpu_s_at_ready": (cpu_ticks(ctl.proc.pid) or 0) / CLK_TCK, "mem_ready": mem_ready, "mem_settled": memory(ctl.proc.pid),
             "idle": idle, "marks": ctl.startup_marks(), "load": loadavg()})
        log(f"round {rnd + 1}: empty store: ready in {ready - ctl.proc.started:.2f} s, RSS {memory(ctl.proc.pid).get('VmRSS', 0) / 1024:.0f} MiB")
    finally:
        if ctl:
            ctl.proc.stop()
        fake.stop()


def run_round(args, rnd: int, rec, budget: Budget) -> None:
    base = {"case": "full", "round": rnd}
    n_egress = args.namespaces * args.per_namespace
    served_ns = "bench-0000"
    foreign_ns = f"bench-{args.namespaces - 1:04d}"
    flip = egress_name(FLIP_INDEX)
    identity = f"{served_ns}/{account_of(FLIP_INDEX, args.accounts)}"
    policy = f"{served_ns}/{flip}"
    state = args.work / f"r{rnd}-state"
    shutil.copytree(args.work / "seed-state", state)
    fake = Fake(args, state, f"r{rnd}")
    ctl = proxy = None
    try:
        # 1. cold start
        busy0 = machine_ticks()
        ctl = Controller(args, fake, f"r{rnd}-cold")
        ready = ctl.wait_ready(args.ready_timeout)
        ready_s = ready - ctl.proc.started
        cpu_ready = (cpu_ticks(ctl.proc.pid) or 0) / CLK_TCK
        mem_ready = memory(ctl.proc.pid)
        m_ready = metrics(ctl.admin)
        b, tot = (a - s for a, s in zip(machine_ticks(), busy0))
        marks = ctl.startup_marks()
        log(f"round {rnd + 1}: cold start: ready in {ready_s:.2f} s ({cpu_ready:.1f} CPU-s), egress listed at {marks.get('egress_listed')} s, "
            f"RSS {mem_ready.get('VmRSS', 0) / 1024:.0f} MiB")

        # 2. status writes, then idle
        st = wait_statuses(ctl, n_egress, "written", args.status_timeout, base)
        cpu_status = (cpu_ticks(ctl.proc.pid) or 0) / CLK_TCK
        reqs = fake.requests()
        fake.clear_requests()
        mem_status = memory(ctl.proc.pid)
        idle = settle_idle(args, ctl, fake, args.settle)
        mem_settled = memory(ctl.proc.pid)
        rec({**base, "type": "startup", "phase": "cold", "ready_s": round(ready_s, 3), "cpu_s_at_ready": cpu_ready,
             "machine_cpus_busy_to_ready": round(b / max(1, tot) * os.cpu_count(), 2), "mem_ready": mem_ready,
             "metrics_ready": m_ready, "marks": marks, "status": st, "cpu_s_at_status": cpu_status, "mem_status": mem_status,
             "requests_to_status": request_counts(reqs), "idle": idle, "mem_settled": mem_settled,
             "fake_mem": memory(fake.proc.pid), "metrics_settled": metrics(ctl.admin), "load": loadavg()})
        log(f"round {rnd + 1}: statuses {'settled' if st['settled'] else 'NOT settled'} at {st['seconds']} s after start "
            f"({st['by_outcome']}); settled RSS {mem_settled.get('VmRSS', 0) / 1024:.0f} MiB, HWM {mem_settled.get('VmHWM', 0) / 1024:.0f} MiB")

        # 3. the proxy
        budget.need(60, "proxy and latency")
        t = time.time()
        proxy = Proc(f"proxy-r{rnd}", [args.dotnet, args.mesh, "proxy", "--identity", identity, "--config", str(args.work / "proxy.conf"),
                                      "--controllers", f"127.0.0.1:{args.cluster_port}", "--outbound-port", str(args.proxy_outbound),
                                      "--admin", f"127.0.0.1:{args.proxy_admin}"],
                     args.out / "logs" / f"r{rnd}-proxy.log", env=env_of(args))
        wait_until("proxy ready", lambda: http_get(f"http://127.0.0.1:{args.proxy_admin}/ready")[0] == 200, 120, 0.1,
                   check=lambda: check_alive(proxy, ctl.proc))
        first = wait_port(args.proxy_admin, policy, 9000, 30)
        if not first:
            raise Fatal(f"the proxy's snapshot has no rule of {policy} on port 9000: {proxy_state(args.proxy_admin, policy)}")
        ready_proxy = time.time() - t
        time.sleep(1.0)
        # The idle rate the changes' CPU is measured against: just before them, with the proxy connected.
        proxy0 = cpu_ticks(proxy.pid)
        idle = settle_idle(args, ctl, fake, args.settle)
        idle["proxy_cpu_s"] = ((cpu_ticks(proxy.pid) or 0) - (proxy0 or 0)) / CLK_TCK
        rec({**base, "type": "proxy", "ready_s": round(ready_proxy, 2), "rules": first["rules"], "mem": memory(proxy.pid),
             "controller_mem": memory(ctl.proc.pid), "idle_before_changes": idle})
        log(f"round {rnd + 1}: proxy {identity} ready in {ready_proxy:.1f} s with {first['rules']} rules; "
            f"controller idle {idle['controller_cpu_s'] * 60 / idle['seconds']:.2f} CPU-s/min")

        # 4. latency, served identity; 5. foreign namespace
        port = 10000
        for phase, ns, count in (("served", served_ns, args.warmup + args.changes), ("foreign", foreign_ns, args.foreign)):
            if count == 0:
                continue
            budget.need(count * (args.gap + args.poll_delay + 0.3) + 15, f"{phase} changes")
            fake.clear_requests()
            cpu0 = {"controller": cpu_ticks(ctl.proc.pid), "proxy": cpu_ticks(proxy.pid), "fake": cpu_ticks(fake.proc.pid)}
            busy = machine_ticks()
            t_phase = time.monotonic()
            changes = []
            for k in range(count):
                port += 1
                before = proxy_state(args.proxy_admin, policy)
                t0, t1, meta = patch_port(fake.api, ns, flip, port)
                time.sleep(args.poll_delay)
                if phase == "served":
                    done = wait_port(args.proxy_admin, policy, port, args.apply_timeout)
                    applied = done["at"] if done else None
                    after = done
                else:
                    time.sleep(0.2)
                    after = proxy_state(args.proxy_admin, policy)
                    applied = None
                changes.append({"k": k, "warmup": phase == "served" and k < args.warmup, "port": port, "t0": t0, "t1": t1, **meta,
                                "applied": applied, "proxy_version_changed": bool(before and after and before["version"] != after["version"]),
                                "proxy_applied_changed": bool(before and after and before["at"] != after["at"]),
                                "load": loadavg()[0]})
                if phase == "served" and applied is None:
                    log(f"change {k}: the proxy did not apply port {port} within {args.apply_timeout} s")
                time.sleep(random.uniform(args.gap * 0.5, args.gap * 1.5))
            time.sleep(1.0)  # the last status write
            seconds = time.monotonic() - t_phase
            b, tot = (a - s for a, s in zip(machine_ticks(), busy))
            cpu = {"controller": ((cpu_ticks(ctl.proc.pid) or 0) - (cpu0["controller"] or 0)) / CLK_TCK,
                   "proxy": ((cpu_ticks(proxy.pid) or 0) - (cpu0["proxy"] or 0)) / CLK_TCK,
                   "fake": ((cpu_ticks(fake.proc.pid) or 0) - (cpu0["fake"] or 0)) / CLK_TCK}
            reqs = fake.requests()
            writes = status_writes(reqs, ns, flip)
            for c in changes:
                c["status_written"] = next((w for w in writes if w >= c["t0"]), None)
            rec({**base, "type": "changes", "phase": phase, "namespace": ns, "policy": f"{ns}/{flip}", "identity": identity,
                 "seconds": round(seconds, 2), "cpu_s": cpu, "machine_cpus_busy": round(b / max(1, tot) * os.cpu_count(), 2),
                 "requests": request_counts(reqs), "changes": changes, "controller_mem": memory(ctl.proc.pid), "proxy_mem": memory(proxy.pid),
                 "load": loadavg()})
            summarize(phase, rnd, changes)

        # 6. restart with every status written
        if args.restart:
            budget.need(90, "restart")
            fake.clear_requests()
            stop_s = ctl.proc.stop()
            ctl = Controller(args, fake, f"r{rnd}-restart")
            ready = ctl.wait_ready(args.ready_timeout)
            ready_s = ready - ctl.proc.started
            cpu_ready = (cpu_ticks(ctl.proc.pid) or 0) / CLK_TCK
            mem_ready = memory(ctl.proc.pid)
            st = wait_statuses(ctl, n_egress, "unchanged", args.status_timeout, base)
            cpu_status = (cpu_ticks(ctl.proc.pid) or 0) / CLK_TCK
            reqs = fake.requests()
            fake.clear_requests()
            idle = settle_idle(args, ctl, fake, min(args.settle, 5.0))
            reconnected = wait_until("the proxy hears from the restarted controller",
                                     lambda: (proxy_state(args.proxy_admin, policy) or {}).get("reachable"), 60, 0.5)
            rec({**base, "type": "startup", "phase": "restart", "stop_s": round(stop_s, 2), "ready_s": round(ready_s, 3),
                 "cpu_s_at_ready": cpu_ready, "cpu_s_at_status": cpu_status, "mem_ready": mem_ready, "marks": ctl.startup_marks(),
                 "status": st, "requests_to_status": request_counts(reqs), "idle": idle, "mem_settled": memory(ctl.proc.pid),
                 "proxy_reachable": bool(reconnected), "metrics_settled": metrics(ctl.admin), "load": loadavg()})
            log(f"round {rnd + 1}: restart: ready in {ready_s:.2f} s, statuses checked at {st['seconds']} s ({st['by_outcome']}), "
                f"requests {sum(request_counts(reqs).values()):,}")
    finally:
        if proxy:
            proxy.stop()
        if ctl:
            ctl.proc.stop()
        fake.stop()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(len(xs) - 1, int(k) + 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summarize(phase: str, rnd: int, changes: list[dict]) -> None:
    lat = [(c["applied"] - c["t0"]) * 1000 for c in changes if not c["warmup"] and c["applied"]]
    st = [(c["status_written"] - c["t0"]) * 1000 for c in changes if not c["warmup"] and c.get("status_written")]
    lost = sum(1 for c in changes if not c["warmup"] and phase == "served" and not c["applied"])
    moved = sum(1 for c in changes if c["proxy_applied_changed"])
    msg = f"round {rnd + 1} {phase}: "
    if lat:
        msg += f"API change -> proxy applied p50 {pct(lat, .5):.1f} ms p99 {pct(lat, .99):.1f} ms max {max(lat):.1f} ms ({len(lat)}, {lost} lost); "
    if st:
        msg += f"-> status written p50 {pct(st, .5):.1f} ms p99 {pct(st, .99):.1f} ms; "
    msg += f"proxy applied a snapshot during {moved} of {len(changes)} changes"
    log(msg)


def write_meta(args) -> None:
    def sh(*argv: str) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    repo = Path(__file__).resolve().parents[2]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    akka = re.search(r'Include="Akka" Version="([^"]+)"', (repo / "Directory.Packages.props").read_text())
    kube = re.search(r'Include="KubernetesClient" Version="([^"]+)"', (repo / "Directory.Packages.props").read_text())
    runtimeconfig = {}
    rc = Path(args.mesh).with_suffix(".runtimeconfig.json")
    if rc.exists():
        runtimeconfig = json.loads(rc.read_text()).get("runtimeOptions", {}).get("configProperties", {})
    meta = {
        "started_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": sh("git", "-C", str(repo), "rev-parse", "--short", "HEAD"),
        "dirty": bool(sh("git", "-C", str(repo), "status", "--porcelain", "--", "src", "tests/Mesh.FakeKubeApi", "hocon")),
        "kernel": sh("uname", "-r"), "cpu": cpu, "cpus": os.cpu_count(),
        "mem_total_mib": int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1024,
        "dotnet_runtimes": [l for l in sh(args.dotnet, "--list-runtimes").splitlines() if "NETCore.App" in l],
        "akka": akka.group(1) if akka else "", "kubernetes_client": kube.group(1) if kube else "", "python": sys.version.split()[0],
        "runtime_config": runtimeconfig,
        # runtime settings only (the SDK's DOTNET_CLI_* and the like do not reach a running mesh.dll)
        "dotnet_env": {k: v for k, v in env_of(args).items() if k.startswith("DOTNET_") and not k.startswith("DOTNET_CLI_")
                       and k not in ("DOTNET_NOLOGO", "DOTNET_GENERATE_ASPNET_CERTIFICATE", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "DOTNET_ROOT")},
        "label": args.label, "mesh_env": args.mesh_env,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "load_at_start": loadavg(),
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dotnet", default="dotnet")
    ap.add_argument("--mesh", required=True, help="mesh.dll")
    ap.add_argument("--fake", required=True, help="Mesh.FakeKubeApi.dll")
    ap.add_argument("--namespaces", type=int, default=1000)
    ap.add_argument("--per-namespace", type=int, default=10)
    ap.add_argument("--accounts", type=int, default=3, help="service accounts per namespace the Egress sources name")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--changes", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--foreign", type=int, default=20)
    ap.add_argument("--gap", type=float, default=0.5, help="mean pause between changes, s (±50%%)")
    ap.add_argument("--poll-delay", type=float, default=0.3)
    ap.add_argument("--apply-timeout", type=float, default=15.0)
    ap.add_argument("--settle", type=float, default=10.0)
    ap.add_argument("--ready-timeout", type=float, default=180.0)
    ap.add_argument("--status-timeout", type=float, default=240.0)
    ap.add_argument("--restart", type=int, default=1)
    ap.add_argument("--baseline", type=int, default=1)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--bookmark-interval", type=float, default=60.0)
    ap.add_argument("--cluster-port", type=int, default=26651)
    ap.add_argument("--controller-admin", type=int, default=26661)
    ap.add_argument("--proxy-admin", type=int, default=26671)
    ap.add_argument("--proxy-outbound", type=int, default=26672)
    ap.add_argument("--budget", type=float, default=0, help="seconds; nothing starts that would not fit (0: none)")
    ap.add_argument("--mesh-env", default="")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    if args.per_namespace < FLIP_INDEX + 1:
        log(f"FATAL: PER_NAMESPACE must be at least {FLIP_INDEX + 1} (the changed Egress is number {FLIP_INDEX})")
        return 1
    busy = [p for p in (args.cluster_port, args.controller_admin, args.proxy_admin, args.proxy_outbound) if not port_free(p)]
    if busy:
        log(f"FATAL: ports in use: {busy}")
        return 1
    (args.out / "logs").mkdir(parents=True, exist_ok=True)
    (args.work / "controller.conf").write_text("# mesh controller: defaults as shipped\n")
    (args.work / "proxy.conf").write_text("mesh { proxy { decision-log = none } }\n")  # no traffic flows here
    write_meta(args)
    rec = Recorder(args.out / "raw.jsonl")
    budget = Budget(args.budget)

    def on_term(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_term)

    try:
        crds = render_crds(args)
        populate(args, crds, args.work / "seed-state", args.namespaces, rec)
        if args.baseline:
            populate(args, crds, args.work / "empty-state", 0, rec)
        for rnd in range(args.rounds):
            log(f"--- round {rnd + 1} of {args.rounds} (load {loadavg()})")
            if args.baseline:
                baseline_round(args, rnd, rec, budget)
            budget.need(120, f"round {rnd + 1}")
            run_round(args, rnd, rec, budget)
    except OutOfBudget as e:
        log(f"budget of {args.budget:.0f} s spent: {e} and later not run")
        rec({"type": "budget", "what": str(e)})
        return 3
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
