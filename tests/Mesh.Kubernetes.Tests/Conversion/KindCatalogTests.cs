using System.Text.Json.Nodes;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Tests.Conversion;

public sealed class KindCatalogTests
{
    private static readonly WatchedResource Osm = new(MeshResourceCatalog.OsmEgress, ResourceKind.Egress);
    private static readonly WatchedResource Fsm = new(MeshResourceCatalog.FsmEgress, ResourceKind.Egress);

    private static ReflectorSynced Synced(WatchedResource source, string rv, params KubeObject[] objects) =>
        new(source, objects, rv, [], true, RelistReason.Initial);

    private static ReflectorChanged Changed(WatchedResource source, ChangeType type, KubeObject o) => new(source, new ObjectChange(type, o));

    [Fact]
    public void An_invalid_object_is_rejected_alone_and_the_others_are_in_force()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm, Fsm]);
        var delta = catalog.Apply(Synced(Osm, "20",
            ApiObjects.Egress("a", "good", FakeCluster.EgressSpec()),
            ApiObjects.Egress("a", "bad", FakeCluster.EgressSpec(protocol: "udp")),
            ApiObjects.Egress("b", "good", FakeCluster.EgressSpec(protocol: "tcp"))));

        Assert.Equal(["a/good", "b/good"], delta.Changes.OfType<ResourceChange.Upserted>().Select(u => $"{u.Resource.Key.Namespace}/{u.Resource.Key.Name}"));
        var rejection = Assert.Single(delta.Rejections);
        Assert.Equal("spec.ports[0].protocol", rejection.FieldPath);
        var bad = Assert.Single(delta.Verdicts, v => !v.Accepted);
        Assert.Equal((VerdictReason.Invalid, "a/bad"), (bad.Reason, bad.Key.ToString()));
        Assert.Contains("'udp' is not a protocol", bad.Message, StringComparison.Ordinal);
        Assert.False(catalog.IsSynced);
        catalog.Apply(Synced(Fsm, "20"));
        Assert.True(catalog.IsSynced);
    }

    [Fact]
    public void An_update_that_makes_an_object_invalid_withdraws_it_and_a_fix_restores_it()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm]);
        catalog.Apply(Synced(Osm, "5", ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(), rv: "5")));

        var broken = catalog.Apply(Changed(Osm, ChangeType.Modified, ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(protocol: "udp"), rv: "6", generation: 2)));
        Assert.Equal([new ResourceChange.Deleted(new ResourceKey(ResourceKind.Egress, "a", "e"))], broken.Changes);
        Assert.Equal(2, Assert.Single(broken.Verdicts).Generation);

        var fixedUp = catalog.Apply(Changed(Osm, ChangeType.Modified, ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(port: 8080), rv: "7", generation: 3)));
        var upserted = Assert.IsType<ResourceChange.Upserted>(Assert.Single(fixedUp.Changes));
        Assert.Equal(8080, ((EgressPolicy)upserted.Resource).Ports[0].Number);
        Assert.True(Assert.Single(fixedUp.Verdicts).Accepted);
        Assert.Equal("7", catalog.Position);
    }

    [Fact]
    public void The_same_name_in_both_groups_keeps_the_osm_object_in_force_and_shadows_the_other()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm, Fsm]);
        catalog.Apply(Synced(Fsm, "3", ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(port: 81), rv: "3", apiVersion: "policy.flomesh.io/v1alpha1")));
        Assert.Equal(81, ((EgressPolicy)Assert.Single(catalog.InForce)).Ports[0].Number);

        var delta = catalog.Apply(Synced(Osm, "4", ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(port: 80), rv: "4")));
        Assert.Equal(80, ((EgressPolicy)Assert.IsType<ResourceChange.Upserted>(Assert.Single(delta.Changes)).Resource).Ports[0].Number);
        var shadowed = Assert.Single(catalog.Verdicts, v => v.Source == Fsm);
        Assert.Equal(VerdictReason.Shadowed, shadowed.Reason);
        Assert.Contains("egresses.policy.openservicemesh.io a/e", shadowed.Message, StringComparison.Ordinal);

        // The OSM object goes: the FSM one takes over.
        var after = catalog.Apply(Changed(Osm, ChangeType.Deleted, ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(), rv: "9")));
        Assert.Equal(81, ((EgressPolicy)Assert.IsType<ResourceChange.Upserted>(Assert.Single(after.Changes)).Resource).Ports[0].Number);
        Assert.Contains((Osm, new ObjectKey("a", "e")), after.Gone);
        Assert.True(Assert.Single(catalog.Verdicts).Accepted);
    }

    [Fact]
    public void A_relist_with_the_same_versions_changes_nothing_and_a_missing_object_is_deleted()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm]);
        var one = ApiObjects.Egress("a", "one", FakeCluster.EgressSpec(), rv: "5");
        var two = ApiObjects.Egress("a", "two", FakeCluster.EgressSpec(), rv: "6");
        catalog.Apply(Synced(Osm, "6", one, two));

        Assert.True(catalog.Apply(Synced(Osm, "8", one, two)).IsEmpty);
        var delta = catalog.Apply(Synced(Osm, "9", one));
        Assert.Equal([new ResourceChange.Deleted(new ResourceKey(ResourceKind.Egress, "a", "two"))], delta.Changes);
        Assert.Equal("9", catalog.Position);
    }

    /// <summary>The object as the server sends it once the status writer has recorded a last accepted spec.</summary>
    private static KubeObject WithRecord(KubeObject item, long generation, JsonObject spec)
    {
        var node = JsonNode.Parse(item.ToJsonText())!.AsObject();
        node["status"] = new JsonObject { ["lastAccepted"] = new JsonObject { ["generation"] = generation, ["spec"] = spec.ToJsonString() } };
        return KubeObject.Parse(node.ToJsonString());
    }

    [Fact]
    public void An_invalid_update_keeps_the_spec_recorded_in_the_status_in_force_and_says_so()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm]);
        var first = ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(port: 80), rv: "5");
        var accepted = Assert.Single(catalog.Apply(Synced(Osm, "5", first)).Verdicts);
        Assert.Equal(LastAcceptedSpec.SpecOf(first), accepted.AcceptedSpec);

        var broken = WithRecord(ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(protocol: "udp"), rv: "7", generation: 2), 1, FakeCluster.EgressSpec(port: 80));
        var delta = catalog.Apply(Changed(Osm, ChangeType.Modified, broken));
        // The same spec stays in force; it is re-sent because it now comes from the record (reports say so).
        var kept = (EgressPolicy)Assert.IsType<ResourceChange.Upserted>(Assert.Single(delta.Changes)).Resource;
        Assert.Equal(80, kept.Ports[0].Number);
        Assert.EndsWith("(generation 1, from status.lastAccepted)", kept.Source.Origin, StringComparison.Ordinal);
        var verdict = Assert.Single(delta.Verdicts);
        Assert.Equal((false, VerdictReason.Invalid, 1L, 2L), (verdict.Accepted, verdict.Reason, verdict.KeptGeneration, verdict.Generation));
        Assert.True(verdict.InForce);
        Assert.Null(verdict.AcceptedSpec);
        Assert.Contains("spec.ports[0].protocol", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("generation 1", verdict.Message, StringComparison.Ordinal);
        Assert.Equal("spec.ports[0].protocol", Assert.Single(catalog.ErrorsOf(Osm, new ObjectKey("a", "e"))).FieldPath);

        // A fresh catalog (a replica started now) computes the same: the record is in the object.
        var fresh = new KindCatalog(ResourceKind.Egress, [Osm]);
        var policy = (EgressPolicy)Assert.IsType<ResourceChange.Upserted>(Assert.Single(fresh.Apply(Synced(Osm, "7", broken)).Changes)).Resource;
        Assert.Equal(80, policy.Ports[0].Number);
        Assert.Contains("status.lastAccepted", policy.Source.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_that_is_invalid_or_newer_than_the_object_is_ignored_and_the_object_withdrawn()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm]);
        catalog.Apply(Synced(Osm, "5", ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(), rv: "5")));

        var invalidRecord = WithRecord(ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(protocol: "udp"), rv: "6", generation: 2), 1, FakeCluster.EgressSpec(protocol: "quic"));
        Assert.Equal([new ResourceChange.Deleted(new ResourceKey(ResourceKind.Egress, "a", "e"))], catalog.Apply(Changed(Osm, ChangeType.Modified, invalidRecord)).Changes);
        Assert.False(Assert.Single(catalog.Verdicts).InForce);

        var future = WithRecord(ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(protocol: "udp"), rv: "7", generation: 2), 9, FakeCluster.EgressSpec());
        Assert.Empty(catalog.Apply(Changed(Osm, ChangeType.Modified, future)).Changes);
        Assert.Empty(catalog.InForce);
    }

    [Fact]
    public void A_write_to_the_status_alone_changes_nothing()
    {
        var catalog = new KindCatalog(ResourceKind.Egress, [Osm]);
        var item = ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(), rv: "5");
        catalog.Apply(Synced(Osm, "5", item));
        var withStatus = WithRecord(ApiObjects.Egress("a", "e", FakeCluster.EgressSpec(), rv: "6"), 1, FakeCluster.EgressSpec());
        Assert.True(catalog.Apply(Changed(Osm, ChangeType.Modified, withStatus)).IsEmpty);
        Assert.Equal("6", catalog.Position);
    }
}
