using Mesh.FakeKubeApi.Faults;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Kubernetes.Tests.Reflection;

/// <summary>410 Expired in both forms, and what a relist reports: deletions made while away, nothing twice.</summary>
public sealed class ReflectorRelistTests
{
    private static readonly WatchedResource Egresses = new(MeshResourceCatalog.OsmEgress, Mesh.Policy.Model.ResourceKind.Egress);

    [Fact]
    public async Task An_expired_error_event_in_the_stream_leads_to_a_relist_that_reports_nothing_unchanged()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "e", FakeCluster.EgressSpec());
        await using var r = new RunningReflector(cluster.Client(), Egresses);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        Assert.Equal(1, cluster.Api.Faults.ExpireActiveWatches());

        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 2);
        var relist = r.Sink.Syncs[1];
        Assert.False(relist.IsFirst);
        Assert.Equal(RelistReason.Expired, relist.Reason);
        Assert.Empty(relist.Changes);
        Assert.Equal(["e"], relist.Objects.Select(o => o.Name));
        Assert.Empty(r.Sink.Changes);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Expired, Egresses.Name, "error_event"));
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Lists, Egresses.Name, "expired"));
    }

    [Fact]
    public async Task An_expired_http_status_on_the_watch_request_leads_to_a_relist()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await using var r = new RunningReflector(cluster.Client(), Egresses);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        cluster.Api.Faults.ExpireNextWatches(1, ExpiryForm.HttpStatus, new FaultMatch(Resource: "egresses"));
        cluster.Api.Faults.CutActiveWatches();

        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 2);
        Assert.Equal(RelistReason.Expired, r.Sink.Syncs[1].Reason);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Expired, Egresses.Name, "http_status"));
        Assert.Contains(cluster.Api.Requests.Where("watch", "egresses"), q => q.Status == 410);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_is_expired_and_the_relist_reports_deletes_made_while_away()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "stays", FakeCluster.EgressSpec());
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "goes", FakeCluster.EgressSpec());
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "changes", FakeCluster.EgressSpec());
        await using var r = new RunningReflector(cluster.Client(), Egresses, ReflectorOptions.Default with { StallTimeout = TimeSpan.FromHours(1) }, time);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        // Disconnect: the reflector waits out its backoff on the fake clock.
        cluster.Api.Faults.CutActiveWatches();
        await Wait.UntilAsync(() => r.Sink.Failures.Any(f => f.Kind == FailureKind.Transport));

        // While away: a delete, a change, a new object, and the history is compacted.
        cluster.Delete(MeshResourceCatalog.OsmEgress, "default", "goes");
        cluster.MergePatch(MeshResourceCatalog.OsmEgress, "default", "changes", new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["x"] = "y" } } });
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "arrives", FakeCluster.EgressSpec());
        cluster.Api.Store.Compact();
        time.Advance(r.Sink.Failures[^1].RetryIn);

        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 2);
        var relist = r.Sink.Syncs[1];
        Assert.Equal(RelistReason.Expired, relist.Reason);
        Assert.Equal([(ChangeType.Deleted, "goes"), (ChangeType.Added, "arrives"), (ChangeType.Modified, "changes")],
            relist.Changes.Select(c => (c.Type, c.Item.Name)));
        Assert.Equal(["arrives", "changes", "stays"], relist.Objects.Select(o => o.Name));
        Assert.Empty(r.Sink.Changes);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.RelistDeletions, Egresses.Name));
        Assert.Equal(new Dictionary<string, string>
        {
            ["default/arrives"] = relist.Objects[0].ResourceVersion,
            ["default/changes"] = relist.Objects[1].ResourceVersion,
            ["default/stays"] = relist.Objects[2].ResourceVersion,
        }, r.Sink.State());
    }

    [Fact]
    public async Task Without_compaction_a_resumed_watch_delivers_the_delete_made_while_away_without_a_relist()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "goes", FakeCluster.EgressSpec());
        await using var r = new RunningReflector(cluster.Client(), Egresses, ReflectorOptions.Default with { StallTimeout = TimeSpan.FromHours(1) }, time);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        cluster.Api.Faults.CutActiveWatches();
        await Wait.UntilAsync(() => r.Sink.Failures.Any(f => f.Kind == FailureKind.Transport));
        cluster.Delete(MeshResourceCatalog.OsmEgress, "default", "goes");
        time.Advance(r.Sink.Failures[^1].RetryIn);

        await Wait.UntilAsync(() => r.Sink.Changes.Count == 1);
        Assert.Equal((ChangeType.Deleted, "goes"), (r.Sink.Changes[0].Change.Type, r.Sink.Changes[0].Change.Item.Name));
        Assert.Single(r.Sink.Syncs);
        Assert.Single(cluster.Api.Requests.Where("list", "egresses"));
        Assert.Empty(r.Sink.State());
    }

    [Fact]
    public async Task Watch_events_the_cache_already_has_are_not_reported_again()
    {
        // The cache is what makes "nothing twice" hold whatever a server resends.
        var cache = new ReflectorCache();
        var a1 = Mesh.Kubernetes.Objects.KubeObject.Parse("""{"metadata":{"name":"a","namespace":"n","uid":"u","resourceVersion":"5"}}""");
        var a2 = Mesh.Kubernetes.Objects.KubeObject.Parse("""{"metadata":{"name":"a","namespace":"n","uid":"u","resourceVersion":"9"}}""");
        cache.Replace([a1]);

        Assert.Null(cache.Upsert(a1));
        Assert.Equal(ChangeType.Modified, cache.Upsert(a2)!.Type);
        Assert.Null(cache.Upsert(a2));
        Assert.Equal(ChangeType.Deleted, cache.Delete(a2)!.Type);
        Assert.Null(cache.Delete(a2));
        Assert.Equal(ChangeType.Added, cache.Upsert(a1)!.Type);
        Assert.Empty(cache.Replace([a1]));
    }
}
