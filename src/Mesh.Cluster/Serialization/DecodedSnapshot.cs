using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// A snapshot as decoded from its bytes, with where each rule lies in them: what the next snapshot of the identity is
/// decoded against, so that every rule it repeats byte for byte is taken from this one instead of read again.
/// </summary>
internal sealed class DecodedSnapshot
{
    private readonly RuleBytes[] _rules;
    private readonly Dictionary<int, int> _ruleByHash;

    public DecodedSnapshot(ArraySegment<byte> bytes, EgressSnapshot snapshot, RuleBytes[] rules)
    {
        Bytes = bytes;
        Snapshot = snapshot;
        _rules = rules;
        _ruleByHash = new Dictionary<int, int>(rules.Length);
        for (var i = 0; i < rules.Length; i++) _ruleByHash.TryAdd(rules[i].Hash, i);
    }

    /// <summary>The bytes it came as (whole, or against a base): the same bytes again are this snapshot again.</summary>
    public ArraySegment<byte> Bytes { get; }

    public EgressSnapshot Snapshot { get; }

    public static int Hash(ReadOnlySpan<byte> slice)
    {
        var hash = new HashCode();
        hash.AddBytes(slice);
        return hash.ToHashCode();
    }

    /// <summary>The bytes of rule <paramref name="i"/>, wherever they came (a rule taken from a base keeps the base's).</summary>
    public RuleBytes RuleAt(int i) => _rules[i];

    /// <summary>This snapshot's rule encoded as exactly <paramref name="slice"/>, if it has one.</summary>
    public CompiledRule? RuleWith(ReadOnlySpan<byte> slice, int hash) =>
        _ruleByHash.TryGetValue(hash, out var i) && _rules[i].Bytes.Span.SequenceEqual(slice) ? Snapshot.Rules[i] : null;

    public readonly record struct RuleBytes(ReadOnlyMemory<byte> Bytes, int Hash);
}
