#!/usr/bin/env bash
# Runs every test of the repository: unit, property, scenario and end-to-end (network namespaces, iptables, curl).
# On a fresh Debian machine, as root: installs what the end-to-end tests need, then runs `dotnet test` on Mesh.sln
# and prints one closing line "Tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# Debian's iptables package brings both; the end-to-end world intercepts IPv4 and IPv6.
{ command -v iptables && command -v ip6tables; } >/dev/null 2>&1 || need+=(iptables)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# setpriv runs the proxy as its own uid; prlimit puts one under a low open-files limit (util-linux has both).
{ command -v setpriv && command -v prlimit; } >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing ${need[*]} and not root to install them" >&2; exit 1
  fi
  echo "test.sh: installing ${need[*]} from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Mesh.sln -c Release --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
  } END { print p+0, f+0, s+0 }' "$log")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "test.sh: dotnet test exited $rc (build error or crashed test host)"; fi
if [ "$passed" -eq 0 ]; then echo "test.sh: no test ran"; rc=1; fi
if [ "$skipped" -gt 0 ]; then echo "test.sh: $skipped skipped tests; a skipped test is not a passing test"; rc=1; fi
echo "Tests: $passed passed, $failed failed"
exit "$rc"
