#!/bin/sh
# The sidecar init step: run in the pod's network namespace (as an init container with NET_ADMIN) before the app.
# Redirects all outbound TCP to the proxy's outbound port, except the proxy's own traffic (uid 1500), loopback, and
# the MeshConfig exclusions (traffic.outboundIPRangeExclusionList, traffic.outboundPortExclusionList), passed as
#   MESH_EXCLUDE_CIDRS="10.0.0.0/8 192.168.0.0/16" MESH_EXCLUDE_PORTS="5432 6379" deploy/sidecar-init.sh
# The end-to-end tests install the same rules (tests/Mesh.E2E/World/PodInterception.cs).
set -eu
PORT="${MESH_OUTBOUND_PORT:-15001}"
PROXY_UID="${MESH_PROXY_UID:-1500}"

for ipt in iptables ip6tables; do
  if ! command -v "$ipt" >/dev/null 2>&1; then
    # Fail closed: without the rules of one family its egress would go around the proxy. Only a kernel with no IPv6
    # at all needs no ip6tables.
    if [ "$ipt" = ip6tables ] && [ ! -e /proc/net/if_inet6 ]; then continue; fi
    echo "sidecar-init: $ipt is missing; refusing to leave that address family unintercepted" >&2
    exit 1
  fi
  "$ipt" -w 5 -t nat -N MESH_OUTBOUND 2>/dev/null || "$ipt" -w 5 -t nat -F MESH_OUTBOUND
  "$ipt" -w 5 -t nat -A MESH_OUTBOUND -m owner --uid-owner "$PROXY_UID" -j RETURN
  if [ "$ipt" = iptables ]; then "$ipt" -w 5 -t nat -A MESH_OUTBOUND -d 127.0.0.0/8 -j RETURN
  else "$ipt" -w 5 -t nat -A MESH_OUTBOUND -d ::1/128 -j RETURN; fi
  for cidr in ${MESH_EXCLUDE_CIDRS:-}; do
    case "$cidr" in *:*) [ "$ipt" = ip6tables ] || continue ;; *) [ "$ipt" = iptables ] || continue ;; esac
    "$ipt" -w 5 -t nat -A MESH_OUTBOUND -d "$cidr" -j RETURN
  done
  for port in ${MESH_EXCLUDE_PORTS:-}; do
    "$ipt" -w 5 -t nat -A MESH_OUTBOUND -p tcp --dport "$port" -j RETURN
  done
  "$ipt" -w 5 -t nat -A MESH_OUTBOUND -p tcp -j REDIRECT --to-ports "$PORT"
  "$ipt" -w 5 -t nat -C OUTPUT -p tcp -j MESH_OUTBOUND 2>/dev/null || "$ipt" -w 5 -t nat -A OUTPUT -p tcp -j MESH_OUTBOUND
done
