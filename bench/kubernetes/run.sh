#!/usr/bin/env bash
# Kubernetes watcher benchmark (issue 12): first sync time and controller memory with NAMESPACES x PER_NAMESPACE Egress
# objects, and from an API change to the snapshot applied in a proxy (p50/p99), with the real binaries on 127.0.0.1:
# the fake API server process (tests/Mesh.FakeKubeApi), `mesh controller --kubernetes` and one `mesh proxy`.
#
# The world is written once over HTTP into a seed state directory (CRDs from `mesh install --dry-run`, the MeshConfig,
# enrolled namespaces, one HTTPRouteGroup and PER_NAMESPACE Egress objects each); every round runs a fresh fake API
# server on a copy of it: a cold controller start (first sync, status writes, memory), a proxy, CHANGES merge patches
# of an Egress the proxy's identity uses, FOREIGN of one in another namespace, then a controller restart. No iptables,
# no root, no traffic. See driver.py for what is measured and how, report.py for the tables.
#
# Usage: bench/kubernetes/run.sh     (any user; about 5 minutes with the defaults on 2 vCPUs)
# Knobs (environment): NAMESPACES=1000, PER_NAMESPACE=10 (at least 8), ACCOUNTS=3 (service accounts per namespace),
#   ROUNDS=2, CHANGES=40 (after WARMUP=3), FOREIGN=20, GAP=0.5 (s between changes, ±50%), SETTLE=10 (s of idle after
#   the status writes), RESTART=1 (restart the controller at the end of each round), BASELINE=1 (a controller on an
#   empty store each round, for the memory before any object), THREADS=4 (populating clients), BUDGET=690 (s; no phase
#   starts that would not fit; 0: none), BUILD=1 (rebuild Mesh.Cli and Mesh.FakeKubeApi first), MESH_ENV="VAR=value ..."
#   (for every .NET process, e.g. DOTNET_gcServer=1), LABEL="..." (what this run is about), RESULTS=path.md
# Output: the tables on stdout and in bench/kubernetes/results/<stamp>.md; raw records (raw.jsonl, meta.json) and every
# process's log (logs.tar.gz) in bench/kubernetes/results/<stamp>/.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$HERE/results/$STAMP
RESULTS=${RESULTS:-$HERE/results/$STAMP.md}
WORK=$(mktemp -d /tmp/mesh-kubebench.XXXXXX)
MESH_OUT=$REPO/src/Mesh.Cli/bin/Release/net10.0
FAKE_OUT=$REPO/tests/Mesh.FakeKubeApi/bin/Release/net10.0
DRIVER_PID=""
T0=$SECONDS

log() { printf '[%4ds] %s\n' $((SECONDS - T0)) "$*" >&2; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    # The driver stops every process it started (by pid) when it ends, also on SIGTERM.
    if [[ -n $DRIVER_PID ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
        kill -TERM "$DRIVER_PID"
        wait "$DRIVER_PID"
    fi
    if [[ -d $OUT/logs ]]; then
        tar -czf "$OUT/logs.tar.gz" -C "$OUT" logs && rm -rf "$OUT/logs"
    fi
    if [[ -s $OUT/raw.jsonl && -f $OUT/meta.json ]]; then
        python3 "$HERE/report.py" --raw "$OUT/raw.jsonl" --meta "$OUT/meta.json" > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
        echo
        cat "$RESULTS"
        log "results: $RESULTS (raw records and logs: $OUT)"
    fi
    rm -rf "$WORK"
    log "done (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

command -v dotnet >/dev/null || { log "dotnet is missing (install the .NET 10 SDK)"; exit 1; }
command -v python3 >/dev/null || { log "python3 is missing"; exit 1; }

if [[ ! -f $MESH_OUT/mesh.dll || ${BUILD:-0} == 1 ]]; then
    log "building Mesh.Cli (Release)"
    dotnet build "$REPO/src/Mesh.Cli" -c Release -nologo -v quiet >&2
fi
if [[ ! -f $FAKE_OUT/Mesh.FakeKubeApi.dll || ${BUILD:-0} == 1 ]]; then
    log "building Mesh.FakeKubeApi (Release)"
    dotnet build "$REPO/tests/Mesh.FakeKubeApi" -c Release -nologo -v quiet >&2
fi
if [[ -n $(find "$REPO/src" \( -name obj -o -name bin \) -prune -o -name '*.cs' -newer "$MESH_OUT/mesh.dll" -print -quit) ]]; then
    log "warning: sources are newer than $MESH_OUT/mesh.dll; rerun with BUILD=1 to measure them"
fi

# Run from copies, so a rebuild during the run cannot change what is measured.
mkdir -p "$OUT/logs"
cp -r "$MESH_OUT" "$WORK/mesh-bin"
cp -r "$FAKE_OUT" "$WORK/fake-bin"

log "load average: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
python3 "$HERE/driver.py" --work "$WORK" --out "$OUT" --dotnet "$(command -v dotnet)" \
    --mesh "$WORK/mesh-bin/mesh.dll" --fake "$WORK/fake-bin/Mesh.FakeKubeApi.dll" \
    --namespaces "${NAMESPACES:-1000}" --per-namespace "${PER_NAMESPACE:-10}" --accounts "${ACCOUNTS:-3}" \
    --rounds "${ROUNDS:-2}" --changes "${CHANGES:-40}" --warmup "${WARMUP:-3}" --foreign "${FOREIGN:-20}" --gap "${GAP:-0.5}" \
    --settle "${SETTLE:-10}" --restart "${RESTART:-1}" --baseline "${BASELINE:-1}" --threads "${THREADS:-4}" \
    --budget "${BUDGET:-690}" --mesh-env "${MESH_ENV:-}" --label "${LABEL:-}" &
DRIVER_PID=$!
wait "$DRIVER_PID"
