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
/// pays to receive it (decode: rules read, indexes rebuilt, the version recomputed from the JSON form and checked), from
/// nothing, and against the identity's last snapshot when one policy changed (the cluster benchmark's flip of a port):
/// unchanged rules and port indexes are reused; and the same change as a server pushes it, against the snapshot before.
/// The policies are a quarter each of http with routes, https by exact host, tcp with a /24 range, https by wildcard,
/// as in <see cref="PolicyDecisionBenchmarks"/>; 100 of them is about 20 KB on the wire.
/// </summary>
[MemoryDiagnoser]
public class SnapshotWireBenchmarks
{
    private EgressSnapshot _snapshot = null!;
    private byte[] _bytes = [];
    private byte[] _changed = [];
    private byte[] _changedAgainstBase = [];
    private EgressSnapshot _changedSnapshot = null!;
    private DecodedSnapshot _previous = null!;

    [Params(10, 100, 1_000)]
    public int Policies { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = BenchmarkPolicies.Compile(Policies, flipPort: 20000);
        _bytes = SnapshotWire.Encode(_snapshot);
        _previous = SnapshotWire.Decode(_bytes, previous: null)!;
        _changedSnapshot = BenchmarkPolicies.Compile(Policies, flipPort: 20001);
        _changed = SnapshotWire.Encode(_changedSnapshot);
        _changedAgainstBase = SnapshotWire.EncodeAgainst(_changedSnapshot, _snapshot);
        Console.WriteLine($"// {Policies} policies: {_snapshot.Rules.Count} rules, {_bytes.Length:N0} bytes on the wire, " +
            $"{_changedAgainstBase.Length:N0} for the change against it, {_snapshot.Json.Length:N0} characters of JSON");
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

    [Benchmark]
    public EgressSnapshot DecodeChanged() => SnapshotWire.Decode(_changed, _previous)!.Snapshot;

    /// <summary>A server's push: the change of one policy against the snapshot it pushed before (made once per change).</summary>
    [Benchmark]
    public int EncodeAgainstBase() => SnapshotWire.EncodeAgainst(_changedSnapshot, _snapshot).Length;

    /// <summary>What a proxy that holds the base pays for that push.</summary>
    [Benchmark]
    public EgressSnapshot DecodeChangedAgainstBase() => SnapshotWire.Decode(_changedAgainstBase, _previous)!.Snapshot;
}
