using System.Text.Json.Nodes;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;

namespace Mesh.Kubernetes.Tests.Reflection;

/// <summary>List, paging, watch events and bookmarks, against the fake over real HTTP.</summary>
public sealed class ReflectorListWatchTests
{
    private static readonly WatchedResource Egresses = new(MeshResourceCatalog.OsmEgress, Mesh.Policy.Model.ResourceKind.Egress);

    [Fact]
    public async Task The_first_list_reports_every_object_sorted_with_the_list_resource_version()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.CreateNamespace("b");
        cluster.CreateNamespace("a");
        cluster.Create(MeshResourceCatalog.OsmEgress, "b", "two", FakeCluster.EgressSpec());
        cluster.Create(MeshResourceCatalog.OsmEgress, "a", "one", FakeCluster.EgressSpec());
        cluster.Create(MeshResourceCatalog.FsmEgress, "a", "other-group", FakeCluster.EgressSpec());
        var listVersion = cluster.Api.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var r = new RunningReflector(cluster.Client(), Egresses);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1);

        var sync = r.Sink.Syncs[0];
        Assert.True(sync.IsFirst);
        Assert.Equal(RelistReason.Initial, sync.Reason);
        Assert.Equal(listVersion, sync.ResourceVersion);
        Assert.Equal(["a/one", "b/two"], sync.Objects.Select(o => o.Key.ToString()));
        Assert.All(sync.Changes, c => Assert.Equal(ChangeType.Added, c.Type));
        Assert.Equal(2, sync.Changes.Count);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Lists, Egresses.Name, "initial"));

        // The counters live in the registry the caller passed, ready for /metrics.
        using var text = new MemoryStream();
        await r.Registry.CollectAndExportAsTextAsync(text);
        var exposition = System.Text.Encoding.UTF8.GetString(text.ToArray());
        Assert.Contains("mesh_kubernetes_lists_total{resource=\"egresses.policy.openservicemesh.io\",reason=\"initial\"} 1", exposition, StringComparison.Ordinal);
        Assert.Contains("mesh_kubernetes_objects{resource=\"egresses.policy.openservicemesh.io\"} 2", exposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_larger_than_a_page_is_read_in_pages_with_continue()
    {
        await using var cluster = await FakeCluster.StartAsync();
        for (var i = 0; i < 7; i++) cluster.Create(MeshResourceCatalog.OsmEgress, "default", $"e{i}", FakeCluster.EgressSpec());

        await using var r = new RunningReflector(cluster.Client(), Egresses, RunningReflector.Fast with { PageSize = 3 });
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1);

        Assert.Equal(7, r.Sink.Syncs[0].Objects.Count);
        var lists = cluster.Api.Requests.Where("list", "egresses");
        Assert.Equal(3, lists.Count);
        Assert.All(lists, l => Assert.Equal("3", l.QueryValue("limit")));
        Assert.Null(lists[0].QueryValue("continue"));
        Assert.NotNull(lists[1].QueryValue("continue"));
        Assert.NotNull(lists[2].QueryValue("continue"));
        Assert.Equal(3, RunningReflector.Count(r.Metrics.ListPages, Egresses.Name));
    }

    [Fact]
    public async Task Watch_events_after_the_list_are_reported_in_order()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "kept", FakeCluster.EgressSpec());
        await using var r = new RunningReflector(cluster.Client(), Egresses);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);
        Assert.Single(cluster.Api.Requests.Where("list", "egresses"));

        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "new", FakeCluster.EgressSpec());
        cluster.MergePatch(MeshResourceCatalog.OsmEgress, "default", "new", new JsonObject { ["spec"] = FakeCluster.EgressSpec(port: 8080) });
        cluster.Delete(MeshResourceCatalog.OsmEgress, "default", "kept");

        await Wait.UntilAsync(() => r.Sink.Changes.Count == 3);
        Assert.Equal([(ChangeType.Added, "new"), (ChangeType.Modified, "new"), (ChangeType.Deleted, "kept")],
            r.Sink.Changes.Select(c => (c.Change.Type, c.Change.Item.Name)));
        Assert.Equal(["default/new"], r.Sink.State().Keys);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.WatchEvents, Egresses.Name, "DELETED"));
    }

    [Fact]
    public async Task The_watch_starts_from_the_list_version_with_bookmarks_and_a_timeout()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "e", FakeCluster.EgressSpec());
        var listVersion = cluster.Api.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var r = new RunningReflector(cluster.Client(), Egresses);
        await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1);
        cluster.Api.Faults.CutActiveWatches();
        await Wait.UntilAsync(() => cluster.Api.Requests.Where("watch", "egresses").Count >= 1);

        var watch = cluster.Api.Requests.Where("watch", "egresses")[0];
        Assert.Equal(listVersion, watch.QueryValue("resourceVersion"));
        Assert.Equal("true", watch.QueryValue("allowWatchBookmarks"));
        var timeout = int.Parse(watch.QueryValue("timeoutSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timeout, 300, 600);
    }

    [Fact]
    public async Task Bookmarks_advance_the_version_the_watch_resumes_from()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "e", FakeCluster.EgressSpec());
        await using var r = new RunningReflector(cluster.Client(), Egresses);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        // Writes elsewhere move the global resourceVersion; only a bookmark tells this watch about it.
        for (var i = 0; i < 3; i++) cluster.CreateNamespace($"elsewhere-{i}");
        var bookmarked = cluster.Api.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cluster.Api.Store.Bookmark();
        await Wait.UntilAsync(() => RunningReflector.Count(r.Metrics.WatchEvents, Egresses.Name, "BOOKMARK") == 1);
        cluster.Api.Faults.CutActiveWatches();

        // The log holds a watch once it has ended: one ended and another open means the reflector resumed.
        await Wait.UntilAsync(() => cluster.Api.Requests.Where("watch", "egresses").Count == 1 && cluster.Api.ActiveWatchCount == 1);
        cluster.Api.Faults.CutActiveWatches();
        await Wait.UntilAsync(() => cluster.Api.Requests.Where("watch", "egresses").Count == 2);
        Assert.Equal(bookmarked, cluster.Api.Requests.Where("watch", "egresses")[1].QueryValue("resourceVersion"));
        Assert.Empty(r.Sink.Changes);
        Assert.Single(r.Sink.Syncs);
    }

    [Fact]
    public async Task A_quiet_watch_the_server_closes_at_its_timeout_without_a_single_line_is_a_normal_end()
    {
        // KubernetesClient reads a watch's first line before returning it; an empty stream surfaces as an
        // EndOfStreamException, which must not count as a failure.
        await using var cluster = await FakeCluster.StartAsync();
        var options = RunningReflector.Fast with
        {
            WatchTimeoutMin = TimeSpan.FromSeconds(1),
            WatchTimeoutMax = TimeSpan.FromSeconds(1),
            ShortWatch = TimeSpan.FromMilliseconds(100),
        };
        await using var r = new RunningReflector(cluster.Client(), Egresses, options);

        await Wait.UntilAsync(() => RunningReflector.Count(r.Metrics.WatchEnds, Egresses.Name, "closed") >= 2);
        Assert.Empty(r.Sink.Failures);
        Assert.Single(r.Sink.Syncs);
        Assert.All(cluster.Api.Requests.Where("watch", "egresses"), w => Assert.Equal("1", w.QueryValue("timeoutSeconds")));
    }
}
