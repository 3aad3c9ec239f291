using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Tests;

/// <summary>The order of a snapshot's inputs, by which receivers keep only newer snapshots.</summary>
public sealed class SnapshotOrderTests
{
    private static SnapshotOrder Of(params (string Source, ulong Position)[] positions) =>
        SnapshotOrder.From(positions.Select(p => KeyValuePair.Create(p.Source, p.Position)));

    [Fact]
    public void Further_in_one_source_and_no_less_in_any_supersedes()
    {
        Assert.True(Of(("a", 2), ("b", 5)).Supersedes(Of(("a", 1), ("b", 5))));
        Assert.False(Of(("a", 1), ("b", 5)).Supersedes(Of(("a", 2), ("b", 5))));
    }

    [Fact]
    public void The_same_order_does_not_supersede_itself()
    {
        Assert.False(Of(("a", 3)).Supersedes(Of(("a", 3))));
        Assert.Equal(Of(("a", 3)), Of(("a", 3)));
    }

    [Fact]
    public void Replicas_lagging_on_different_sources_supersede_neither_way()
    {
        var one = Of(("egresses", 10), ("routes", 5));
        var other = Of(("egresses", 8), ("routes", 7));
        Assert.False(one.Supersedes(other));
        Assert.False(other.Supersedes(one));
        Assert.True(one.With("routes", 7).Supersedes(other));
    }

    [Fact]
    public void Anything_read_supersedes_nothing_read_and_a_new_source_counts_as_further()
    {
        Assert.True(Of(("a", 1)).Supersedes(SnapshotOrder.None));
        Assert.False(SnapshotOrder.None.Supersedes(Of(("a", 1))));
        Assert.True(Of(("a", 1), ("b", 1)).Supersedes(Of(("a", 1))));
    }

    [Fact]
    public void A_position_never_moves_backwards()
    {
        Assert.Equal(Of(("a", 9)), Of(("a", 9)).With("a", 3));
    }
}
