using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// A snapshot as decoded from its bytes, with where each rule lies in them: what the next snapshot of the identity is
/// decoded against, so that every rule it repeats byte for byte is taken from this one instead of read again.
/// </summary>
internal sealed class DecodedSnapshot
{
    private readonly RuleSlice[] _slices;
    private readonly Dictionary<int, int> _ruleByHash;

    public DecodedSnapshot(byte[] bytes, EgressSnapshot snapshot, RuleSlice[] slices)
    {
        Bytes = bytes;
        Snapshot = snapshot;
        _slices = slices;
        _ruleByHash = new Dictionary<int, int>(slices.Length);
        for (var i = 0; i < slices.Length; i++) _ruleByHash.TryAdd(slices[i].Hash, i);
    }

    public byte[] Bytes { get; }

    public EgressSnapshot Snapshot { get; }

    public static int Hash(ReadOnlySpan<byte> slice)
    {
        var hash = new HashCode();
        hash.AddBytes(slice);
        return hash.ToHashCode();
    }

    /// <summary>This snapshot's rule encoded as exactly <paramref name="slice"/>, if it has one.</summary>
    public CompiledRule? RuleWith(ReadOnlySpan<byte> slice, int hash) =>
        _ruleByHash.TryGetValue(hash, out var i) && Bytes.AsSpan(_slices[i].Offset, _slices[i].Length).SequenceEqual(slice)
            ? Snapshot.Rules[i]
            : null;

    public readonly record struct RuleSlice(int Offset, int Length, int Hash);
}
