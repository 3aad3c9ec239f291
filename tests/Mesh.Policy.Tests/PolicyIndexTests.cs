using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Policy.Tests;

public class PolicyIndexTests
{
    private static MeshResource One(string manifest) => Assert.Single(ManifestLoader.LoadText(manifest, "t.yaml").Resources);

    private static string EgressFor(string name, string sa) =>
        SeedManifests.Tcp443.Replace("name: tcp-443", $"name: {name}", StringComparison.Ordinal)
            .Replace("    name: curl\n", $"    name: {sa}\n", StringComparison.Ordinal);

    [Fact]
    public void A_change_to_one_egress_recompiles_only_the_identities_it_names()
    {
        var index = new PolicyIndex(ClusterState.Empty);
        for (var i = 0; i < 50; i++) index.Apply(new ResourceChange.Upserted(One(EgressFor($"e{i}", $"sa{i}"))));
        var before = index.CompileCounts.ToDictionary();

        var changed = index.Apply(new ResourceChange.Upserted(One(EgressFor("e7", "sa7").Replace("443", "8443", StringComparison.Ordinal))));

        Assert.Equal([new ServiceAccountIdentity("curl", "sa7")], changed.Select(s => s.Identity));
        var recompiled = index.CompileCounts.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => kv.Key).ToList();
        Assert.Equal([new ServiceAccountIdentity("curl", "sa7")], recompiled);
    }

    [Fact]
    public void Moving_a_policy_to_another_source_updates_both_identities()
    {
        var index = new PolicyIndex(ClusterState.Empty);
        index.Apply(new ResourceChange.Upserted(One(EgressFor("e", "a"))));
        var changed = index.Apply(new ResourceChange.Upserted(One(EgressFor("e", "b"))));
        Assert.Equal(["a", "b"], changed.Select(s => s.Identity.Name));
        Assert.False(changed[0].CanReachAnything); // a lost everything and is told so
        Assert.True(changed[1].CanReachAnything);
    }

    [Fact]
    public void A_route_group_change_reaches_only_identities_whose_egress_references_it()
    {
        var index = new PolicyIndex(ClusterState.Empty);
        foreach (var r in ManifestLoader.LoadText(SeedManifests.RouteGroupAndEgress, "t").Resources) index.Apply(new ResourceChange.Upserted(r));
        index.Apply(new ResourceChange.Upserted(One(EgressFor("unrelated", "other"))));
        var changed = index.Apply(new ResourceChange.Upserted(One(SeedManifests.RouteGroupUpdated)));
        Assert.Equal(["curl"], changed.Select(s => s.Identity.Name));
    }

    [Fact]
    public void Meshconfig_change_recompiles_every_tracked_identity_including_requested_ones()
    {
        var index = new PolicyIndex(ClusterState.Empty);
        index.Apply(new ResourceChange.Upserted(One(EgressFor("e", "a"))));
        var lonely = index.Track(new ServiceAccountIdentity("web", "nobody"));
        Assert.False(lonely.CanReachAnything);
        var changed = index.Apply(new ResourceChange.Upserted(One(ManifestText.MeshConfig(enableEgress: true))));
        Assert.Equal(["a", "nobody"], changed.Select(s => s.Identity.Name));
        Assert.All(changed, s => Assert.True(s.EnableEgress));
    }

    [Fact]
    public void Reapplying_the_same_object_publishes_nothing()
    {
        var index = new PolicyIndex(ClusterState.Empty);
        index.Apply(new ResourceChange.Upserted(One(EgressFor("e", "a"))));
        Assert.Empty(index.Apply(new ResourceChange.Upserted(One(EgressFor("e", "a")))));
    }

    [Fact]
    public void Deleting_the_last_policy_publishes_an_empty_snapshot()
    {
        var index = new PolicyIndex(ClusterState.Empty);
        index.Apply(new ResourceChange.Upserted(One(EgressFor("e", "a"))));
        var changed = index.Apply(new ResourceChange.Deleted(new ResourceKey(ResourceKind.Egress, "curl", "e")));
        Assert.Empty(Assert.Single(changed).Rules);
    }
}
