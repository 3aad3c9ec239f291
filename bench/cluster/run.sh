#!/usr/bin/env bash
# Controller-cluster benchmark (issue 16): from a manifest change to the snapshot applied on every proxy, CPU per proxy
# per minute, and RSS, with the real binaries on 127.0.0.1.
#
# Each case and round builds a fresh world: two `mesh controller` processes on one manifest directory (fixed cluster
# ports, both as seed nodes) and N proxies, as N `mesh proxy` processes (case pN) or as N actor systems in one process
# (case inprocN, bench/cluster/InProcessProxies), or one `mesh run` on the same manifests (case run). No traffic flows
# and no iptables is needed: only snapshots move. See driver.py for what is measured and how, report.py for the tables.
#
# Usage: bench/cluster/run.sh     (any user; as root the file-event stamper runs under SCHED_FIFO)
# Knobs (environment): CASES="run p1 p10 p30 inproc100" (p100 too if the machine holds 100 processes), ROUNDS=3,
#   CHANGES=40 (per case and round, after WARMUP=40: the first minute of a world is its start-up, see driver.py), GAP=0.5 (s between them, ±50%), CPU_SECONDS=60 (each CPU window),
#   CHANGE_EVERY=5 (s, in the busy CPU window), POLICIES=100 (about 20 KB of snapshot), BATCH=10 (proxy processes
#   started at once), BUDGET=0 (s; no case starts after it, 0: none), BUILD=1 (rebuild first), MESH_BIN / INPROC_BIN
#   (measure prebuilt output folders instead), MESH_ENV="VAR=value ..." (for every Mesh process, e.g.
#   DOTNET_PerfMapEnabled=1 for perf), CONTROLLER_ENV="VAR=value ..." (for the `mesh controller` processes only),
#   CONTROLLER_CONF="HOCON" (appended to the controllers' configuration file only; "\n" for a line break),
#   LABEL="..." (what this run is about), RESULTS=path.md
# Output: the tables on stdout and in bench/cluster/results/<stamp>.md; raw records (raw.jsonl, meta.json) and every
# process's log (logs.tar.gz) in bench/cluster/results/<stamp>/.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$HERE/results/$STAMP
RESULTS=${RESULTS:-$HERE/results/$STAMP.md}
WORK=$(mktemp -d /tmp/mesh-clusterbench.XXXXXX)
MESH_OUT=$REPO/src/Mesh.Cli/bin/Release/net10.0
INPROC_OUT=$HERE/InProcessProxies/bin/Release/net10.0
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

if [[ -z ${MESH_BIN:-} ]]; then
    if [[ ! -f $MESH_OUT/mesh.dll || ${BUILD:-0} == 1 ]]; then
        log "building Mesh (Release)"
        dotnet build "$REPO/src/Mesh.Cli" -c Release -nologo -v quiet >&2
    fi
    if [[ -n $(find "$REPO/src" \( -name obj -o -name bin \) -prune -o -name '*.cs' -newer "$MESH_OUT/mesh.dll" -print -quit) ]]; then
        log "warning: sources are newer than $MESH_OUT/mesh.dll; rerun with BUILD=1 to measure them"
    fi
fi
if [[ -z ${INPROC_BIN:-} && ( ! -f $INPROC_OUT/Mesh.InProcessProxies.dll || ${BUILD:-0} == 1 ) && ${CASES:-inproc} == *inproc* ]]; then
    log "building InProcessProxies (Release)"
    dotnet build "$HERE/InProcessProxies" -c Release -nologo -v quiet >&2
fi

# Run from copies, so a rebuild during the run cannot change what is measured.
mkdir -p "$OUT/logs"
cp -r "${MESH_BIN:-$MESH_OUT}" "$WORK/mesh-bin"
[[ -f ${INPROC_BIN:-$INPROC_OUT}/Mesh.InProcessProxies.dll ]] && cp -r "${INPROC_BIN:-$INPROC_OUT}" "$WORK/inproc-bin"

log "load average: $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
python3 "$HERE/driver.py" --work "$WORK" --out "$OUT" --dotnet "$(command -v dotnet)" \
    --cases "${CASES:-run p1 p10 p30 inproc100}" --rounds "${ROUNDS:-3}" --changes "${CHANGES:-40}" --warmup "${WARMUP:-40}" \
    --gap "${GAP:-0.5}" --cpu-seconds "${CPU_SECONDS:-60}" --change-every "${CHANGE_EVERY:-5}" --policies "${POLICIES:-100}" \
    --batch "${BATCH:-10}" --budget "${BUDGET:-0}" --mesh-env "${MESH_ENV:-}" --controller-env "${CONTROLLER_ENV:-}" --controller-conf "${CONTROLLER_CONF:-}" --label "${LABEL:-}" &
DRIVER_PID=$!
wait "$DRIVER_PID"
