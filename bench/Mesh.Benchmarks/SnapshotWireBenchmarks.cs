using System.Text;
using BenchmarkDotNet.Attributes;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Benchmarks;

/// <summary>
/// The wire format of a snapshot of about 20 KB (the size the issue measured Akka's default JSON serializer at:
/// 117 µs to write, 166 µs to read): writing it (once per snapshot, whatever the number of watchers) and reading it
/// back, which rebuilds the indexes, recompiles the route regexes and checks the version.
/// </summary>
[MemoryDiagnoser]
public class SnapshotWireBenchmarks
{
    private EgressSnapshot _snapshot = null!;
    private byte[] _bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes, namespace: curl}\nspec:\n  matches:\n");
        for (var i = 0; i < 20; i++) yaml.Append($"  - name: r{i}\n    pathRegex: \"/api/v{i}/.*\"\n    methods: [GET, POST]\n");
        for (var i = 0; i < 60; i++)
        {
            yaml.Append($"---\nkind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\nmetadata: {{name: e{i}, namespace: curl}}\nspec:\n");
            yaml.Append("  sources: [{kind: ServiceAccount, name: curl, namespace: curl}]\n");
            yaml.Append($"  hosts: [\"svc-{i}.example.com\", \"*.region-{i}.example.net\"]\n");
            yaml.Append(i % 2 == 0
                ? $"  ports: [{{number: {8000 + i}, protocol: http}}]\n  matches: [{{apiGroup: specs.smi-spec.io/v1alpha4, kind: HTTPRouteGroup, name: routes}}]\n"
                : $"  ports: [{{number: {8000 + i}, protocol: https}}]\n  ipAddresses: [\"10.{i}.0.0/16\"]\n");
        }
        var state = ClusterState.Empty;
        foreach (var resource in ManifestLoader.LoadText(yaml.ToString(), "bench.yaml").Resources) state = state.Upsert(resource);
        _snapshot = SnapshotCompiler.Compile(state, new ServiceAccountIdentity("curl", "curl"));
        _bytes = SnapshotWire.Encode(_snapshot);
        Console.WriteLine($"// snapshot: {_bytes.Length} bytes on the wire, {_snapshot.Json.Length} characters as JSON, {_snapshot.Rules.Count} rules");
    }

    [Benchmark]
    public int Write()
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        SnapshotWire.Write(writer, _snapshot);
        return (int)buffer.Length;
    }

    [Benchmark]
    public EgressSnapshot Read() => SnapshotWire.Decode(_bytes);
}
