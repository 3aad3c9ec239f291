#!/usr/bin/env bash
# Builds Mesh and runs the all-in-one node (`mesh run`) on the bundled example manifests (examples/manifests),
# serving the identity curl/curl. Stop it with Ctrl-C. While it runs, in another terminal:
#   curl -s 127.0.0.1:15000/ready            # 200 once the snapshot is applied
#   curl -s 127.0.0.1:15000/config_dump      # the identity's snapshot: seed fields, version, compiled rules
#   curl -s 127.0.0.1:15000/metrics          # Prometheus text
#   edit or delete a file in examples/manifests and watch the version change in /config_dump
# Outbound traffic reaches it through iptables in a pod's network namespace; scripts/test.sh shows that end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Mesh.Cli -c Release --nologo -v quiet
exec dotnet src/Mesh.Cli/bin/Release/net10.0/mesh.dll run --config hocon/all-in-one.conf "$@"
