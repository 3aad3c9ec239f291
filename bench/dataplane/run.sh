#!/usr/bin/env bash
# Data-plane benchmark (issue 7): Mesh against HAProxy 2.6 and against no proxy at all ("direct").
#
# Builds a throw-away world of two network namespaces, "pod" (client, Mesh as uid 1500 behind the sidecar's nat
# interception rules, HAProxy) and "internet" (nginx origin, iperf3 server), joined by a veth pair on 198.19.0.0/24.
# No packet leaves these namespaces and loopback. Client pinned to CPU 0; proxy and origin share CPU 1.
#
# Usage: sudo bench/dataplane/run.sh            (root: namespaces, iptables, setpriv)
# Knobs (environment): DURATION=5 (s per run), RUNS=3, WARMUP=30 (s of load before measuring), IDLE_N=10000,
#   BUDGET=840 (s; a watchdog ends the run and reports what was measured), CASES="..." (subset, ids as in report.py),
#   BUILD=1 (rebuild Mesh first), RESULTS=path.md, MESH_ENV="VAR=value ..." (extra environment for Mesh, e.g.
#   DOTNET_PerfMapEnabled=1 for perf), MESH_CONF="..." (HOCON appended to Mesh's configuration file, e.g. akka dispatcher
#   settings), FLOOR=1 (the contender called Mesh is the data plane's floor instead, `Mesh.Benchmarks floor`: Mesh's
#   listener, connector and pump with no actor, policy or metrics; the checks that need Mesh's decisions are skipped;
#   FLOOR_ARGS="--raw" makes it the forwarder on its own epoll loop below .NET's sockets, "--buffer BYTES" its reads)
# Output: the markdown table on stdout and in bench/dataplane/results/<stamp>.md; raw per-run records and tool logs
# in bench/dataplane/results/<stamp>/.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-30}
IDLE_N=${IDLE_N:-10000}
BUDGET=${BUDGET:-840}
CASES=${CASES:-"http-ka-1 http-ka-50 tcp-ka-50 tcp-close-50 http-close-50 http-1m-4 iperf-1 iperf-4 idle-tcp idle-http"}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$HERE/results/$STAMP.md}
OUT=$HERE/results/$STAMP
RAW=$OUT/raw.jsonl
META=$OUT/meta.json

PREFIX=mesh-bench-
RUN=$PREFIX$$
POD=$RUN-pod
NET=$RUN-net
WORK=/tmp/$RUN
POD_IP=198.19.0.1
ORIGIN_IP=198.19.0.2   # the address the pod's workload calls: intercepted, goes through Mesh
DIRECT_IP=198.19.0.3   # the same origin, excluded from interception (as an outboundIPRangeExclusionList entry)
PROXY_UID=1500
MESH_DLL=$REPO/src/Mesh.Cli/bin/Release/net10.0/mesh.dll
MESH_PROJECT=$REPO/src/Mesh.Cli
MESH_ARGS=(run --manifests "$WORK/manifests" --identity curl/curl --config "$WORK/mesh.conf" --outbound-port 15001 --admin 127.0.0.1:15000)
if [[ ${FLOOR:-0} == 1 ]]; then
    MESH_DLL=$REPO/bench/Mesh.Benchmarks/bin/Release/net10.0/Mesh.Benchmarks.dll
    MESH_PROJECT=$REPO/bench/Mesh.Benchmarks
    MESH_ARGS=(floor --outbound-port 15001 --admin 127.0.0.1:15000 ${FLOOR_ARGS:-})
    # What mesh.runtimeconfig.json gives `mesh run` (the GC's gen0 budget, in hex here, no pool spinning, no dynamic
    # PGO, tier-up after 2 calls), so that the floor differs from Mesh only in what it leaves out.
    MESH_ENV="DOTNET_GCgen0MaxBudget=800000 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_TieredPGO=0 DOTNET_TC_CallCountThreshold=2 ${MESH_ENV:-}"
fi
CLIENT_CPU=0
SERVER_CPU=1
CLK_TCK=$(getconf CLK_TCK)

MESH_PID=""
HAPROXY_PID=""
NGINX_PID=""
IPERF_PID=""
WATCHDOG_PID=""
COMPLETED=0
T0=$SECONDS

log() { printf '[%4ds] %s\n' $((SECONDS - T0)) "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# ------------------------------------------------------------------ cleanup (always runs)

# kill -0 also succeeds on a zombie: a contender that died but was not yet reaped (it is this script's child) looked
# alive, so a dead Mesh went unnoticed and every later run through it was refused (the 02:47 run of 2026-11-21).
alive() { [[ -e /proc/$1 ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

kill_pid() { # pid [grace seconds]
    local pid=$1 grace=${2:-5} i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

destroy_ns() {
    local ns=$1 pid
    if ip netns list | awk '{print $1}' | grep -qx -- "$ns"; then
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    fi
    rm -rf "/etc/netns/$ns"
}

sweep_stale() {
    local ns owner
    for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX" || true); do
        owner=${ns#"$PREFIX"}; owner=${owner%%-*}
        if [[ $owner =~ ^[0-9]+$ ]] && [[ $owner != "$$" ]] && [[ -d /proc/$owner ]] && grep -q run.sh "/proc/$owner/cmdline" 2>/dev/null; then
            log "namespace $ns belongs to a live run (pid $owner); left alone"
            continue
        fi
        log "sweeping stale namespace $ns"
        destroy_ns "$ns"
    done
    for ns in /etc/netns/$PREFIX* /tmp/$PREFIX*; do
        [[ -e $ns ]] || continue
        owner=$(basename "$ns"); owner=${owner#"$PREFIX"}; owner=${owner%%-*}
        [[ $owner =~ ^[0-9]+$ && -d /proc/$owner && $owner != "$$" ]] || rm -rf "$ns"
    done
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    [[ -n $WATCHDOG_PID ]] && kill "$WATCHDOG_PID" 2>/dev/null
    kill_pid "$MESH_PID" 5
    kill_pid "$HAPROXY_PID" 3
    kill_pid "$NGINX_PID" 3
    kill_pid "$IPERF_PID" 3
    destroy_ns "$POD"
    destroy_ns "$NET"
    # Crash dumps are written where uid 1500 may write (the clone may be private); keep them with the results.
    compgen -G "$WORK/crash/*" >/dev/null && mkdir -p "$OUT/crash" && mv "$WORK"/crash/* "$OUT/crash/"
    rm -rf "$WORK"
    if [[ -s $RAW && -f $META ]]; then
        local partial=()
        ((COMPLETED)) || partial=(--partial "the run stopped early (exit $rc after $((SECONDS - T0)) s); cases missing from the table were not measured")
        python3 "$HERE/report.py" table --raw "$RAW" --meta "$META" "${partial[@]}" > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
        echo
        cat "$RESULTS"
        log "results: $RESULTS (raw records and logs: $OUT)"
    fi
    log "cleaned up (exit $rc)"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "stopped (watchdog: the ${BUDGET}s budget ran out, or TERM)"; exit 124' TERM

[[ $(id -u) == 0 ]] || die "run as root (network namespaces, iptables, setpriv)"

# ------------------------------------------------------------------ prerequisites

install_missing() {
    local -A pkg=([haproxy]=haproxy [wrk]=wrk [iperf3]=iperf3 [nginx]=nginx-light [curl]=curl [iptables]=iptables
                  [ip]=iproute2 [taskset]=util-linux [setpriv]=util-linux [pgrep]=procps [python3]=python3 [dotnet]=-)
    local want=() cmd
    for cmd in "${!pkg[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 && continue
        [[ ${pkg[$cmd]} == - ]] && die "$cmd is missing (install the .NET 10 SDK)"
        want+=("${pkg[$cmd]}")
    done
    if ((${#want[@]})); then
        log "installing: ${want[*]}"
        timeout 300 apt-get update -qq
        DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq --no-install-recommends "${want[@]}" >&2
    fi
}

install_missing
sweep_stale
mkdir -p "$OUT" "$WORK/crash"
chmod 1777 "$WORK/crash"   # Mesh runs as uid 1500 and writes its crash dumps here; moved to $OUT/crash at the end
( trap 'kill "$sp" 2>/dev/null; exit 0' TERM; sleep "$BUDGET" & sp=$!; wait "$sp" && { log "watchdog: budget of ${BUDGET}s reached"; kill -TERM $$; } ) &
WATCHDOG_PID=$!

if [[ ! -f $MESH_DLL || ${BUILD:-0} == 1 ]]; then
    log "building $(basename "$MESH_PROJECT") (Release)"
    timeout 300 dotnet build "$MESH_PROJECT" -c Release -nologo -v quiet >&2
fi
if [[ -n $(find "$REPO/src" \( -name obj -o -name bin \) -prune -o -name '*.cs' -newer "$MESH_DLL" -print -quit) ]]; then
    log "warning: sources are newer than $MESH_DLL; rerun with BUILD=1 to measure them"
fi

# Every held connection costs a proxy two descriptors (client side and upstream), plus its own few hundred.
ulimit -Hn 1048576 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
IDLE_NOTE=""
fd_room=$(( ($(ulimit -n) - 400) / 2 ))
if ((IDLE_N > fd_room)); then
    IDLE_NOTE="N lowered from $IDLE_N to $fd_room: the open-files limit is $(ulimit -n) and cannot be raised here (no CAP_SYS_RESOURCE), and a proxy needs two descriptors per proxied connection"
    IDLE_N=$fd_room
    log "$IDLE_NOTE"
fi
log "file descriptor limit: $(ulimit -n); idle connections per run: $IDLE_N"

# ------------------------------------------------------------------ world

mkdir -p "$WORK"/{manifests,www,nginx/tmp}
chmod 755 "$WORK" "$WORK/manifests"
# Run Mesh from a copy of the build output, so a rebuild during the run cannot change what is measured, and so that
# uid 1500 can load it even when the clone sits where only root may enter (mode 0700): the copy is that uid's own.
cp -r "$(dirname "$MESH_DLL")" "$WORK/mesh-bin"
chown -R "$PROXY_UID:$PROXY_UID" "$WORK/mesh-bin"
chmod 700 "$WORK/mesh-bin"

ip netns add "$POD"
ip netns add "$NET"
ip -n "$POD" link add veth-pod type veth peer name veth-net netns "$NET"
ip -n "$POD" addr add "$POD_IP/24" dev veth-pod
ip -n "$NET" addr add "$ORIGIN_IP/24" dev veth-net
ip -n "$NET" addr add "$DIRECT_IP/24" dev veth-net
for ns_link in "$POD:veth-pod" "$NET:veth-net"; do
    ip -n "${ns_link%%:*}" link set lo up
    ip -n "${ns_link%%:*}" link set "${ns_link#*:}" up
done
for ns in "$POD" "$NET"; do
    mkdir -p "/etc/netns/$ns"
    printf '127.0.0.1 localhost\n%s origin.bench\n' "$ORIGIN_IP" > "/etc/netns/$ns/hosts"
    printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "/etc/netns/$ns/resolv.conf"
    # Namespace-local: room for 10,000 held connections plus the TIME_WAITs of the connection-rate cases.
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="10000 65535" net.ipv4.tcp_tw_reuse=1 \
        net.core.somaxconn=8192 net.ipv4.tcp_max_syn_backlog=8192
    ip netns exec "$ns" sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_time_wait=2 2>/dev/null || true
done

# The sidecar's interception, as tests/Mesh.E2E/World/PodInterception.cs installs it, plus one excluded address for
# the direct and HAProxy paths.
ipt() { ip netns exec "$POD" iptables -w 5 "$@"; }
ipt -t nat -N MESH_OUTBOUND
ipt -t nat -A MESH_OUTBOUND -m owner --uid-owner "$PROXY_UID" -j RETURN
ipt -t nat -A MESH_OUTBOUND -d 127.0.0.0/8 -j RETURN
ipt -t nat -A MESH_OUTBOUND -d "$DIRECT_IP/32" -j RETURN
ipt -t nat -A MESH_OUTBOUND -p tcp -j REDIRECT --to-ports 15001
ipt -t nat -A OUTPUT -p tcp -j MESH_OUTBOUND
ip netns exec "$POD" sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_time_wait=2 2>/dev/null || true

# ------------------------------------------------------------------ origin: nginx (8080 http, 8081 tcp case) + iperf3

head -c 1048576 /dev/urandom > "$WORK/www/1m"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
worker_rlimit_nofile 100000;
error_log stderr warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 50000; multi_accept on; }
http {
    access_log off;
    default_type text/plain;
    sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_timeout 600s; keepalive_requests 100000000;
    client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
    server {
        listen 8080 backlog=8192 default_server;
        listen 8081 backlog=8192;
        root $WORK/www;
        location = /tiny { return 200 "ok\n"; }
        location = /1m { }
        # Everything else is 200 too: a 404 can then only come from Mesh's route check.
        location / { return 200 "any\n"; }
    }
}
EOF
ip netns exec "$NET" taskset -c $SERVER_CPU nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e stderr > "$OUT/nginx.log" 2>&1 &
NGINX_PID=$!
ip netns exec "$NET" taskset -c $SERVER_CPU iperf3 -s -p 5201 > "$OUT/iperf3-server.log" 2>&1 &
IPERF_PID=$!

# ------------------------------------------------------------------ HAProxy: plain forwarder, pod namespace, loopback

cat > "$WORK/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $(( ($(ulimit -n) - 200) / 2 ))
defaults
    timeout connect 5s
    timeout client 600s
    timeout server 600s
    maxconn $(( ($(ulimit -n) - 200) / 2 ))
listen tcp_http
    mode tcp
    bind 127.0.0.1:18081 backlog 8192
    server origin $DIRECT_IP:8081
listen tcp_iperf
    mode tcp
    bind 127.0.0.1:15201
    server origin $DIRECT_IP:5201
listen http
    mode http
    bind 127.0.0.1:18080 backlog 8192
    server origin $DIRECT_IP:8080
EOF

start_haproxy() {
    ip netns exec "$POD" taskset -c $SERVER_CPU haproxy -db -f "$WORK/haproxy.cfg" >> "$OUT/haproxy.log" 2>&1 &
    HAPROXY_PID=$!
    local i
    for ((i = 0; i < 50; i++)); do
        ip netns exec "$POD" curl -s -o /dev/null --max-time 1 http://127.0.0.1:18080/tiny && return 0
        sleep 0.1
    done
    die "HAProxy did not answer; see $OUT/haproxy.log"
}

# ------------------------------------------------------------------ Mesh

cat > "$WORK/manifests/mesh-config.yaml" <<'EOF'
apiVersion: config.openservicemesh.io/v1alpha2
kind: MeshConfig
metadata:
  name: mesh-config
  namespace: mesh-system
spec:
  traffic:
    enableEgress: false
EOF
cat > "$WORK/manifests/egress.yaml" <<EOF
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: bench-routes
  namespace: curl
spec:
  matches:
  - name: tiny
    pathRegex: /tiny
    methods: [GET]
  - name: one-mebibyte
    pathRegex: /1m
    methods: [GET]
---
kind: Egress
apiVersion: policy.openservicemesh.io/v1alpha1
metadata:
  name: bench-http
  namespace: curl
spec:
  sources:
  - kind: ServiceAccount
    name: curl
    namespace: curl
  hosts:
  - origin.bench
  ports:
  - number: 8080
    protocol: http
  matches:
  - apiGroup: specs.smi-spec.io/v1alpha4
    kind: HTTPRouteGroup
    name: bench-routes
---
kind: Egress
apiVersion: policy.openservicemesh.io/v1alpha1
metadata:
  name: bench-tcp
  namespace: curl
spec:
  sources:
  - kind: ServiceAccount
    name: curl
    namespace: curl
  ipAddresses:
  - $ORIGIN_IP/32
  ports:
  - number: 8081
    protocol: tcp
  - number: 5201
    protocol: tcp
EOF
printf 'mesh {\n  log-level = warn\n  proxy { decision-log = none }\n}\n%s\n' "${MESH_CONF:-}" > "$WORK/mesh.conf"
chmod 644 "$WORK"/manifests/*.yaml "$WORK/mesh.conf"

start_mesh() {
    ip netns exec "$POD" taskset -c $SERVER_CPU \
        setpriv --reuid $PROXY_UID --regid $PROXY_UID --clear-groups \
        env HOME=/tmp DOTNET_CLI_HOME=/tmp DOTNET_NOLOGO=1 MESH__PROXY__DECISION_LOG=none \
        DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=2 DOTNET_DbgMiniDumpName="$WORK/crash/mesh-%p.dmp" ${MESH_ENV:-} \
        "$(readlink -f "$(command -v dotnet)")" "$WORK/mesh-bin/$(basename "$MESH_DLL")" "${MESH_ARGS[@]}" >> "$OUT/mesh.log" 2>&1 &
    MESH_PID=$!
    local i code
    for ((i = 0; i < 100; i++)); do
        alive "$MESH_PID" || die "mesh run exited; see $OUT/mesh.log"
        code=$(ip netns exec "$POD" curl -s -o /dev/null -w '%{http_code}' --max-time 1 http://127.0.0.1:15000/ready || true)
        [[ $code == 200 ]] && break
        sleep 0.2
    done
    [[ $code == 200 ]] || die "mesh run was not ready within 20 s; see $OUT/mesh.log"
    ! grep -q '^rejected:' "$OUT/mesh.log" || die "Mesh rejected a manifest: $(grep '^rejected:' "$OUT/mesh.log")"
}

restart() { # contender
    case $1 in
        mesh) kill_pid "$MESH_PID" 10; MESH_PID=""; start_mesh ;;
        haproxy) kill_pid "$HAPROXY_PID" 5; HAPROXY_PID=""; start_haproxy ;;
    esac
}

start_haproxy
start_mesh
[[ $(cat "/proc/$MESH_PID/comm") == dotnet ]] || die "pid $MESH_PID is $(cat "/proc/$MESH_PID/comm"), not dotnet"
[[ $(cat "/proc/$HAPROXY_PID/comm") == haproxy ]] || die "pid $HAPROXY_PID is not haproxy"

# ------------------------------------------------------------------ sanity: every path works, Mesh really intercepts

in_pod() { ip netns exec "$POD" "$@"; }
check() { # description expected command...
    local what=$1 want=$2; shift 2
    local got
    got=$("$@" 2>&1 || true)
    [[ $got == "$want" ]] || die "sanity check failed: $what: expected '$want', got '$got'"
}
check "direct http" $'ok\n200' in_pod curl -s -w '%{http_code}' --max-time 2 "http://$DIRECT_IP:8080/tiny"
check "haproxy http" $'ok\n200' in_pod curl -s -w '%{http_code}' --max-time 2 http://127.0.0.1:18080/tiny
check "haproxy tcp" $'ok\n200' in_pod curl -s -w '%{http_code}' --max-time 2 http://127.0.0.1:18081/tiny
check "mesh http rule" $'ok\n200' in_pod curl -s -w '%{http_code}' --max-time 2 http://origin.bench:8080/tiny
check "mesh tcp rule" $'ok\n200' in_pod curl -s -w '%{http_code}' --max-time 2 "http://$ORIGIN_IP:8081/tiny"
if [[ ${FLOOR:-0} != 1 ]]; then # the floor forwards everything: it decides nothing
    check "mesh route check (nginx answers 200 to any path; 404 means Mesh decided)" "404" \
        in_pod curl -s -o /dev/null -w '%{http_code}' --max-time 2 http://origin.bench:8080/not-routed
    check "mesh denies an unlisted port" "000" \
        in_pod curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$ORIGIN_IP:8082/"
fi
check "1 MiB body through mesh" "1048576" in_pod curl -s -o /dev/null -w '%{size_download}' --max-time 5 http://origin.bench:8080/1m
log "sanity checks passed (Mesh pid $MESH_PID, HAProxy pid $HAPROXY_PID, nginx pid $NGINX_PID)"

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
BENCH_IDLE_NOTE=$IDLE_NOTE BENCH_STARTED=$(date -u +'%Y-%m-%d %H:%M UTC') \
BENCH_MACHINE="$(nproc) vCPUs, $cpu_model, kernel $(uname -r)" \
BENCH_VERSIONS="$([[ ${FLOOR:-0} == 1 ]] && echo 'FLOOR=1: the contender called Mesh is the data plane floor (Mesh.Benchmarks floor: no actor, policy or metrics), ')Mesh built $(date -u -r "$MESH_DLL" +'%Y-%m-%d %H:%M UTC') (HEAD now $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')) on .NET $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v = $2} END {print v}'), $(haproxy -v | awk 'NR == 1 {print "HAProxy", $3}'), $(wrk -v 2>&1 | awk 'NR == 1 {print "wrk", $2}'), $(iperf3 -v | awk 'NR == 1 {print "iperf3", $2}'), $(nginx -v 2>&1 | sed 's|.*/|nginx |') as origin" \
python3 -c '
import json, os, sys
json.dump({"started": os.environ["BENCH_STARTED"], "machine": os.environ["BENCH_MACHINE"],
           "versions": os.environ["BENCH_VERSIONS"], "runs": int(sys.argv[2]), "duration": int(sys.argv[3]),
           "idle_n": int(sys.argv[4]), "idle_note": os.environ["BENCH_IDLE_NOTE"]}, open(sys.argv[1], "w"))' "$META" "$RUNS" "$DURATION" "$IDLE_N"

# ------------------------------------------------------------------ measurement helpers

proxy_pid() { case $1 in mesh) echo "$MESH_PID" ;; haproxy) echo "$HAPROXY_PID" ;; *) echo "" ;; esac; }
cpu_ticks() { [[ -n $1 ]] && sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}' || echo 0; }
status_kib() { [[ -n $1 ]] && awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" || echo ""; }
reset_hwm() { [[ -z $1 ]] || echo 5 > "/proc/$1/clear_refs" 2>/dev/null || true; }
cpu_seconds() { awk -v a="$1" -v b="$2" -v t="$CLK_TCK" 'BEGIN {printf "%.3f", (b - a) / t}'; }

# Where each contender is reached, per case: the client always runs in the pod namespace on CPU 0.
http_url() { # contender port(http|tcp)
    case $1:$2 in
        direct:http) echo "http://$DIRECT_IP:8080" ;;  direct:tcp) echo "http://$DIRECT_IP:8081" ;;
        haproxy:http) echo "http://127.0.0.1:18080" ;; haproxy:tcp) echo "http://127.0.0.1:18081" ;;
        mesh:http) echo "http://origin.bench:8080" ;;  mesh:tcp) echo "http://$ORIGIN_IP:8081" ;;
    esac
}
iperf_target() { case $1 in direct) echo "$DIRECT_IP 5201" ;; haproxy) echo "127.0.0.1 15201" ;; mesh) echo "$ORIGIN_IP 5201" ;; esac; }

run_wrk() { # case contender round conns rule path [wrk args...]
    local case=$1 who=$2 round=$3 conns=$4 rule=$5 path=$6; shift 6
    local pid url t0 t1 rc=0 out
    pid=$(proxy_pid "$who"); url="$(http_url "$who" "$rule")$path"
    reset_hwm "$pid"; t0=$(cpu_ticks "$pid")
    out=$(in_pod timeout $((DURATION + 20)) taskset -c $CLIENT_CPU wrk -t1 -c"$conns" -d"${DURATION}s" --latency "$@" "$url" 2>&1) || rc=$?
    t1=$(cpu_ticks "$pid")
    printf '%s\n' "$out" > "$OUT/$case-$who-$round.wrk.txt"
    if ((rc)); then
        python3 "$HERE/report.py" fail --raw "$RAW" --case "$case" --contender "$who" --round "$round" --reason "wrk exit $rc: $(tail -1 <<< "$out")"
    else
        python3 "$HERE/report.py" wrk --raw "$RAW" --case "$case" --contender "$who" --round "$round" \
            --cpu-s "$([[ -n $pid ]] && cpu_seconds "$t0" "$t1" || echo -)" --hwm-kib "$(status_kib "$pid" VmHWM)" <<< "$out"
    fi
}

run_iperf() { # case contender round streams
    local case=$1 who=$2 round=$3 streams=$4
    local pid target t0 t1 rc=0 out
    pid=$(proxy_pid "$who"); read -r -a target <<< "$(iperf_target "$who")"
    reset_hwm "$pid"; t0=$(cpu_ticks "$pid")
    out=$(in_pod timeout $((DURATION + 20)) taskset -c $CLIENT_CPU iperf3 -c "${target[0]}" -p "${target[1]}" \
        -t "$DURATION" -P "$streams" --connect-timeout 3000 -J 2>&1) || rc=$?
    t1=$(cpu_ticks "$pid")
    printf '%s\n' "$out" > "$OUT/$case-$who-$round.iperf.json"
    if ((rc)); then
        python3 "$HERE/report.py" fail --raw "$RAW" --case "$case" --contender "$who" --round "$round" \
            --reason "iperf3 exit $rc: $(python3 -c 'import json,sys; print(json.load(sys.stdin).get("error","?"))' <<< "$out" 2>/dev/null || tail -1 <<< "$out")"
    else
        python3 "$HERE/report.py" iperf --raw "$RAW" --case "$case" --contender "$who" --round "$round" \
            --cpu-s "$([[ -n $pid ]] && cpu_seconds "$t0" "$t1" || echo -)" --hwm-kib "$(status_kib "$pid" VmHWM)" <<< "$out"
    fi
    sleep 0.5   # the iperf3 server takes one test at a time
}

run_idle() { # case contender round rule
    local case=$1 who=$2 round=$3 rule=$4
    local pid url host port before held t0 t1 hold_pid status=$WORK/hold-status.json i
    # A fresh proxy each round, warmed briefly, so the figure is what N new connections cost and not pool reuse.
    restart "$who"
    pid=$(proxy_pid "$who"); url=$(http_url "$who" "$rule")
    in_pod timeout 20 taskset -c $CLIENT_CPU wrk -t1 -c10 -d2s "$url/tiny" > /dev/null 2>&1 || true
    sleep 1
    before=$(status_kib "$pid" VmRSS); reset_hwm "$pid"; t0=$(cpu_ticks "$pid")
    host=${url#http://}; port=${host##*:}; host=${host%:*}
    rm -f "$status"
    in_pod taskset -c $CLIENT_CPU python3 "$HERE/hold.py" --host "$host" --port "$port" -n "$IDLE_N" \
        --status-file "$status" --settle 2 --open-limit 60 --hold 90 2> "$OUT/$case-$who-$round.hold.log" &
    hold_pid=$!
    for ((i = 0; i < 900; i++)); do [[ -f $status ]] && break; kill -0 $hold_pid 2>/dev/null || break; sleep 0.1; done
    held=$(status_kib "$pid" VmRSS); t1=$(cpu_ticks "$pid")
    if [[ -f $status ]]; then
        python3 "$HERE/report.py" idle --raw "$RAW" --case "$case" --contender "$who" --round "$round" \
            --cpu-s "$(cpu_seconds "$t0" "$t1")" --hwm-kib "$(status_kib "$pid" VmHWM)" \
            --status "$status" --rss-before "$before" --rss-held "$held"
    else
        python3 "$HERE/report.py" fail --raw "$RAW" --case "$case" --contender "$who" --round "$round" \
            --reason "the holding client ended without a status ($(tail -1 "$OUT/$case-$who-$round.hold.log" 2>/dev/null))"
    fi
    kill_pid "$hold_pid" 3
    wait "$hold_pid" 2>/dev/null || true
    sleep 1
}

order() { # round contenders... -> the contenders, rotated by round so no one always runs first
    local round=$1; shift
    local list=("$@") n=$# i
    for ((i = 0; i < n; i++)); do echo "${list[$(((i + round - 1) % n))]}"; done
}

# A proxy that died since its last run is reported (exit status, case) and started again, so later runs still count.
ensure_alive() { # case round contender
    local case=$1 round=$2 who=$3 pid rc=0
    pid=$(proxy_pid "$who")
    [[ -z $pid ]] && return 0
    alive "$pid" && return 0
    wait "$pid" 2>/dev/null || rc=$?
    local how="exit status $rc"
    ((rc > 128)) && how="killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo "?")"
    log "$who (pid $pid) ended ($how) before $case round $round; restarting it; its last log lines:"
    [[ $who == mesh ]] && tail -5 "$OUT/mesh.log" >&2
    python3 "$HERE/report.py" event --raw "$RAW" --case "$case" --contender "$who" --round "$round" \
        --reason "exited unexpectedly ($how; log: $OUT/$who.log, crash dumps: $OUT/crash/) before this run; restarted"
    restart "$who"
}

run_case() {
    local case=$1 round who contenders=(direct haproxy mesh)
    [[ $case == idle-* ]] && contenders=(haproxy mesh)
    log "case $case"
    for ((round = 1; round <= RUNS; round++)); do
        for who in $(order "$round" "${contenders[@]}"); do
            ensure_alive "$case" "$round" "$who"
            case $case in
                http-ka-1)     run_wrk "$case" "$who" "$round" 1 http /tiny ;;
                http-ka-50)    run_wrk "$case" "$who" "$round" 50 http /tiny ;;
                tcp-ka-50)     run_wrk "$case" "$who" "$round" 50 tcp /tiny ;;
                tcp-close-50)  run_wrk "$case" "$who" "$round" 50 tcp /tiny -H 'Connection: close' ;;
                http-close-50) run_wrk "$case" "$who" "$round" 50 http /tiny -H 'Connection: close' ;;
                http-1m-4)     run_wrk "$case" "$who" "$round" 4 http /1m ;;
                iperf-1)       run_iperf "$case" "$who" "$round" 1 ;;
                iperf-4)       run_iperf "$case" "$who" "$round" 4 ;;
                idle-tcp)      run_idle "$case" "$who" "$round" tcp ;;
                idle-http)     run_idle "$case" "$who" "$round" http ;;
                *) die "unknown case $case" ;;
            esac
            sleep 0.5
        done
    done
}

# ------------------------------------------------------------------ warm-up, then the cases

if ((WARMUP > 0)); then
    log "warm-up: ${WARMUP}s of load through both proxies (JIT tiers, dynamic PGO, pools)"
    w=$((WARMUP / 6 > 1 ? WARMUP / 6 : 1))
    for spec in "mesh http /tiny" "mesh tcp /tiny" "mesh http /1m" "haproxy http /tiny" "haproxy tcp /tiny"; do
        read -r who rule path <<< "$spec"
        in_pod timeout $((w + 20)) taskset -c $CLIENT_CPU wrk -t1 -c50 -d"${w}s" "$(http_url "$who" "$rule")$path" > /dev/null 2>&1 || true
    done
    # A new connection per request on both rules too: that path (accept, a connection actor made and stopped, the
    # upstream connect) was still being compiled to tier 1 in the first connection-per-request round of the
    # 2026-12-02 04:41 run (the JIT thread was 7-23% of Mesh's CPU then, 0-1% from the second round on).
    for rule in tcp http; do
        in_pod timeout $((2 * w + 20)) taskset -c $CLIENT_CPU wrk -t1 -c50 -d"$((2 * w))s" -H 'Connection: close' "$(http_url mesh "$rule")/tiny" > /dev/null 2>&1 || true
    done
    in_pod timeout $((w + 20)) taskset -c $CLIENT_CPU iperf3 -c "$ORIGIN_IP" -p 5201 -t "$w" > /dev/null 2>&1 || true
    sleep 1
fi

for case in $CASES; do
    run_case "$case"
done
COMPLETED=1
log "all cases done"
