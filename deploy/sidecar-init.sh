#!/bin/sh
# The sidecar init step: run in the pod's network namespace (as an init container with NET_ADMIN) before the app.
# Redirects outbound TCP to the proxy's outbound port, except the proxy's own traffic (uid 1500), loopback, and the
# exclusions. Injection (src/Mesh.Deploy/Injection/InterceptionRules.cs) sets these from the MeshConfig's
# spec.traffic lists and the pod's openservicemesh.io/ annotations; space-separated:
#   MESH_EXCLUDE_CIDRS   ranges never redirected (outboundIPRangeExclusionList)
#   MESH_EXCLUDE_PORTS   destination ports never redirected (outboundPortExclusionList)
#   MESH_INCLUDE_CIDRS   when set, only these ranges are redirected and the rest goes direct
#                        (outboundIPRangeInclusionList); exclusions are checked first, as in OSM
#   MESH_OUTBOUND_PORT (15001), MESH_PROXY_UID (1500)
# e.g. MESH_EXCLUDE_CIDRS="10.0.0.0/8 fd00::/8" MESH_EXCLUDE_PORTS="5432 6379" deploy/sidecar-init.sh
# Running it again replaces the rules. The end-to-end tests install the default rules the same way
# (tests/Mesh.E2E/World/PodInterception.cs) and run this script with generated settings (tests/Mesh.E2E/Deploy/).
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
  if [ -n "${MESH_INCLUDE_CIDRS:-}" ]; then
    # Only the included ranges of this family are redirected; a family with none of them goes direct entirely.
    for cidr in $MESH_INCLUDE_CIDRS; do
      case "$cidr" in *:*) [ "$ipt" = ip6tables ] || continue ;; *) [ "$ipt" = iptables ] || continue ;; esac
      "$ipt" -w 5 -t nat -A MESH_OUTBOUND -d "$cidr" -p tcp -j REDIRECT --to-ports "$PORT"
    done
    "$ipt" -w 5 -t nat -A MESH_OUTBOUND -j RETURN
  else
    "$ipt" -w 5 -t nat -A MESH_OUTBOUND -p tcp -j REDIRECT --to-ports "$PORT"
  fi
  "$ipt" -w 5 -t nat -C OUTPUT -p tcp -j MESH_OUTBOUND 2>/dev/null || "$ipt" -w 5 -t nat -A OUTPUT -p tcp -j MESH_OUTBOUND
done
