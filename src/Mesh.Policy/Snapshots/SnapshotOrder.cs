using System.Collections.Immutable;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// How far the inputs of a snapshot had come when it was computed: for each source, its position. A directory source's
/// position is the newest modification time in its tree (a file written, or a directory whose entries changed: a
/// deletion or a rename moves it forward too); a Kubernetes source's is the resourceVersion it has seen (etcd's
/// revision). Replicas that read the same inputs compute the same positions, unlike a counter of one process, so a
/// proxy can tell which of two snapshots from different controllers is newer, and a restarted controller's
/// current snapshot is not mistaken for an old one.
/// <para>
/// One snapshot supersedes another when it is at least as far in every source and further in one. Two controllers
/// that lag on different sources produce snapshots neither of which supersedes the other; the receiver keeps what it
/// has, and the lagging controller's next snapshot (or the periodic re-watch) brings one that does.
/// </para>
/// </summary>
public sealed class SnapshotOrder : IEquatable<SnapshotOrder>
{
    private readonly ImmutableSortedDictionary<string, ulong> _positions;

    private SnapshotOrder(ImmutableSortedDictionary<string, ulong> positions) => _positions = positions;

    /// <summary>Before anything was read: superseded by every other order.</summary>
    public static SnapshotOrder None { get; } = new(ImmutableSortedDictionary<string, ulong>.Empty.WithComparers(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, ulong> Positions => _positions;

    public static SnapshotOrder From(IEnumerable<KeyValuePair<string, ulong>> positions) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, positions));

    /// <summary>This order with one source moved to <paramref name="position"/> (never backwards).</summary>
    public SnapshotOrder With(string source, ulong position) =>
        _positions.TryGetValue(source, out var current) && current >= position ? this : new(_positions.SetItem(source, position));

    /// <summary>At least as far as <paramref name="other"/> in every source, and further in one.</summary>
    public bool Supersedes(SnapshotOrder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var further = false;
        foreach (var (source, theirs) in other._positions)
        {
            var ours = _positions.GetValueOrDefault(source);
            if (ours < theirs) return false;
            further |= ours > theirs;
        }
        return further || _positions.Any(p => p.Value > 0 && !other._positions.ContainsKey(p.Key));
    }

    public bool Equals(SnapshotOrder? other) =>
        other is not null && _positions.Count == other._positions.Count && !Supersedes(other) && !other.Supersedes(this)
        && _positions.All(p => other._positions.TryGetValue(p.Key, out var v) && v == p.Value);

    public override bool Equals(object? obj) => obj is SnapshotOrder other && Equals(other);

    public override int GetHashCode() => _positions.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value));

    public override string ToString() => _positions.Count == 0 ? "none" : string.Join(",", _positions.Select(p => $"{p.Key}@{p.Value}"));
}
