using System.Text;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Benchmarks;

/// <summary>
/// The snapshot the benchmarks decide on and send: identity <c>curl/curl</c> with N policies, a quarter each of http
/// with HTTPRouteGroup routes (host <c>h{i}.example.com</c>, port 80), https by exact host (<c>s{i}.example.org</c>),
/// tcp to a /24 (<c>10.x.y.0/24</c>, port 1000 + i mod 5000) and https by wildcard (<c>*.w{i}.net</c>).
/// </summary>
internal static class BenchmarkPolicies
{
    public static ServiceAccountIdentity Curl { get; } = new("curl", "curl");

    /// <param name="flipPort">When given, one more tcp policy <c>flip</c> to 192.0.2.0/24 on this port (the cluster benchmark's change).</param>
    public static EgressSnapshot Compile(int policies, int? flipPort = null)
    {
        var yaml = new StringBuilder("""
            apiVersion: specs.smi-spec.io/v1alpha4
            kind: HTTPRouteGroup
            metadata: {name: routes, namespace: curl}
            spec:
              matches:
              - {name: get, pathRegex: /get, methods: [GET]}
              - {name: status, pathRegex: "/status/[0-9]+", methods: [GET, HEAD], headers: {user-agent: "curl/.*"}}

            """);
        for (var i = 0; i < policies; i++)
        {
            var (ports, hosts, extra) = (i % 4) switch
            {
                0 => ("[{number: 80, protocol: http}]", $"[h{i}.example.com]", "matches: [{apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: routes}]"),
                1 => ("[{number: 443, protocol: https}]", $"[s{i}.example.org]", ""),
                2 => ($"[{{number: {1000 + (i % 5000)}, protocol: tcp}}]", "[]", $"ipAddresses: [10.{i / 256 % 256}.{i % 256}.0/24]"),
                _ => ("[{number: 443, protocol: https}]", $"[\"*.w{i}.net\"]", ""),
            };
            yaml.Append(FormattableString.Invariant($"---\nkind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\nmetadata: {{name: e{i}, namespace: curl}}\nspec:\n  sources: [{{kind: ServiceAccount, name: curl, namespace: curl}}]\n  hosts: {hosts}\n  ports: {ports}\n  {extra}\n"));
        }
        if (flipPort is { } flip)
        {
            yaml.Append(FormattableString.Invariant($"---\nkind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\nmetadata: {{name: flip, namespace: curl}}\nspec:\n  sources: [{{kind: ServiceAccount, name: curl, namespace: curl}}]\n  ipAddresses: [192.0.2.0/24]\n  ports: [{{number: {flip}, protocol: tcp}}]\n"));
        }
        var state = ClusterState.Empty;
        var loaded = ManifestLoader.LoadText(yaml.ToString(), "bench.yaml");
        if (loaded.Errors.Count > 0) throw new InvalidOperationException(string.Join('\n', loaded.Errors));
        foreach (var r in loaded.Resources) state = state.Upsert(r);
        return SnapshotCompiler.Compile(state, Curl);
    }
}
