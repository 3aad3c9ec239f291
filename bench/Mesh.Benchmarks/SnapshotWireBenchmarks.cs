using System.Text;
using BenchmarkDotNet.Attributes;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Benchmarks;

/// <summary>
/// A snapshot on the wire between a controller and a proxy (issue 16): encoding it once per snapshot, and what a proxy
/// pays to receive it (decode: rules read, indexes rebuilt, the version recomputed from the JSON form and checked).
/// The policies are a quarter each of http with routes, https by exact host, tcp with a /24 range, https by wildcard,
/// as in <see cref="PolicyDecisionBenchmarks"/>; 100 of them is about 20 KB on the wire.
/// </summary>
[MemoryDiagnoser]
public class SnapshotWireBenchmarks
{
    private static readonly ServiceAccountIdentity Curl = new("curl", "curl");
    private EgressSnapshot _snapshot = null!;
    private byte[] _bytes = [];

    [Params(10, 100, 1_000)]
    public int Policies { get; set; }

    [GlobalSetup]
    public void Setup()
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
        for (var i = 0; i < Policies; i++)
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
        var state = ClusterState.Empty;
        var loaded = ManifestLoader.LoadText(yaml.ToString(), "bench.yaml");
        if (loaded.Errors.Count > 0) throw new InvalidOperationException(string.Join('\n', loaded.Errors));
        foreach (var r in loaded.Resources) state = state.Upsert(r);
        _snapshot = SnapshotCompiler.Compile(state, Curl);
        _bytes = SnapshotWire.Encode(_snapshot);
        Console.WriteLine($"// {Policies} policies: {_snapshot.Rules.Count} rules, {_bytes.Length:N0} bytes on the wire, {_snapshot.Json.Length:N0} characters of JSON");
    }

    /// <summary>Writing the bytes (what <c>SnapshotWire.Encode</c> does once per snapshot; it keeps them for every later send).</summary>
    [Benchmark]
    public long Encode()
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        SnapshotWire.Write(writer, _snapshot);
        return buffer.Length;
    }

    [Benchmark]
    public EgressSnapshot Decode() => SnapshotWire.Decode(_bytes);
}
