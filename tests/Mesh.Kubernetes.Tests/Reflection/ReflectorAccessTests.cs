using Mesh.FakeKubeApi;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;
using Mesh.Policy.Model;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Kubernetes.Tests.Reflection;

/// <summary>401/403 are loud and retried slowly; a resource that is not served counts as empty until it is.</summary>
public sealed class ReflectorAccessTests
{
    private static readonly WatchedResource Egresses = new(MeshResourceCatalog.OsmEgress, ResourceKind.Egress);

    [Fact]
    public async Task A_403_names_the_verb_and_resource_and_is_retried_every_30_s_until_granted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.Deny("watch", "egresses");
        await using var r = new RunningReflector(cluster.Client(), Egresses, ReflectorOptions.Default, time);

        await Wait.UntilAsync(() => r.Sink.Failures.Count == 1);
        var failure = r.Sink.Failures[0];
        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.True(failure.IsLoud);
        Assert.Equal("watch", failure.Verb);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.RetryIn);
        Assert.Contains("may not watch egresses.policy.openservicemesh.io (cluster-wide)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("verb 'watch' on resource 'egresses' in API group policy.openservicemesh.io", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ClusterRole", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cannot watch resource \"egresses\"", failure.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => r.Sink.Failures.Count == 2);
        Assert.Equal(TimeSpan.FromSeconds(30), r.Sink.Failures[1].RetryIn);

        cluster.Api.Faults.Allow("watch", "egresses");
        time.Advance(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1);
        Assert.Equal(2, RunningReflector.Count(r.Metrics.Failures, Egresses.Name, "forbidden", "watch"));
    }

    [Fact]
    public async Task A_403_on_list_in_one_namespace_names_a_role_in_that_namespace()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.Deny("list", "meshconfigs");
        var catalog = new MeshResourceCatalog("osm", new ResourceKey(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config"));
        await using var r = new RunningReflector(cluster.Client(), catalog.MeshConfigs[0], ReflectorOptions.Default, time);

        await Wait.UntilAsync(() => r.Sink.Failures.Count == 1);
        var message = r.Sink.Failures[0].Message;
        Assert.Contains("may not list meshconfigs.config.openservicemesh.io in namespace osm-system", message, StringComparison.Ordinal);
        Assert.Contains("(a Role rule)", message, StringComparison.Ordinal);
        Assert.Empty(r.Sink.Syncs);
    }

    [Fact]
    public async Task A_401_says_the_credentials_are_not_accepted()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync(new FakeKubeApiOptions { BearerToken = "right" });
        await using var r = new RunningReflector(cluster.Client(token: "wrong"), Egresses, ReflectorOptions.Default, time);

        await Wait.UntilAsync(() => r.Sink.Failures.Count == 1);
        var failure = r.Sink.Failures[0];
        Assert.Equal(FailureKind.Unauthorized, failure.Kind);
        Assert.Equal("list", failure.Verb);
        Assert.Contains("does not accept Mesh's credentials for list egresses.policy.openservicemesh.io", failure.Message, StringComparison.Ordinal);
        Assert.True(failure.RetryIn >= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_resource_that_is_not_served_counts_as_empty_once_and_is_picked_up_when_its_crd_appears()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync(installCrds: false);
        await using var r = new RunningReflector(cluster.Client(), Egresses, ReflectorOptions.Default, time);

        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && r.Sink.Failures.Count == 1);
        Assert.True(r.Sink.Syncs[0].IsFirst);
        Assert.Empty(r.Sink.Syncs[0].Objects);
        Assert.Equal(FailureKind.NotFound, r.Sink.Failures[0].Kind);
        Assert.False(r.Sink.Failures[0].IsLoud);

        // Still absent at the next try: nothing new is reported.
        time.Advance(r.Sink.Failures[0].RetryIn);
        // An unserved resource is unknown to the fake, so its requests are logged by path only.
        await Wait.UntilAsync(() => cluster.Api.Requests.Snapshot().Count(q => q.Path.EndsWith("/egresses", StringComparison.Ordinal) && q.Status == 404) == 2);
        Assert.Single(r.Sink.Syncs);
        Assert.Single(r.Sink.Failures);

        Crds.InstallMesh(cluster.Api);
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "e", FakeCluster.EgressSpec());
        await Wait.UntilAdvancingAsync(time, TimeSpan.FromSeconds(1), () => r.Sink.Syncs.Count == 2);
        Assert.Equal([(ChangeType.Added, "e")], r.Sink.Syncs[1].Changes.Select(c => (c.Type, c.Item.Name)));
    }

    [Fact]
    public async Task Of_several_meshconfig_versions_the_newest_served_one_is_read()
    {
        await using var cluster = await FakeCluster.StartAsync(installCrds: false);
        Crds.Install(cluster.Api, Crds.Definition("config.openservicemesh.io", "meshconfigs", "MeshConfig", ["v1alpha2", "v1alpha1"], status: false));
        var catalog = new MeshResourceCatalog("osm", new ResourceKey(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config"));
        cluster.CreateNamespace("osm-system");
        var config = MeshResourceCatalog.OsmMeshConfig with { Versions = ["v1alpha2"] };
        cluster.Create(config, "osm-system", "osm-mesh-config");
        cluster.Create(config, "osm-system", "another-config");

        await using var r = new RunningReflector(cluster.Client(), catalog.MeshConfigs[0]);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1);

        Assert.Equal(["osm-mesh-config"], r.Sink.Syncs[0].Objects.Select(o => o.Name));
        var list = Assert.Single(cluster.Api.Requests.Where("list", "meshconfigs"));
        Assert.Equal("/apis/config.openservicemesh.io/v1alpha2/namespaces/osm-system/meshconfigs", list.Path);
        Assert.Equal("metadata.name=osm-mesh-config", list.QueryValue("fieldSelector"));
    }

    [Fact]
    public async Task The_namespace_reflector_sees_only_namespaces_labelled_for_its_mesh_and_unlabelling_is_a_delete()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var catalog = new MeshResourceCatalog("osm", new ResourceKey(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config"));
        cluster.CreateNamespace("enrolled", new Dictionary<string, string> { [MeshResourceCatalog.MonitoredByLabel] = "osm" });
        cluster.CreateNamespace("other-mesh", new Dictionary<string, string> { [MeshResourceCatalog.MonitoredByLabel] = "other" });
        cluster.CreateNamespace("plain");
        await using var r = new RunningReflector(cluster.Client(), catalog.EnrolledNamespaces);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);
        Assert.Equal(["enrolled"], r.Sink.Syncs[0].Objects.Select(o => o.Name));

        cluster.MergePatch(MeshResourceCatalog.Namespaces, "", "plain",
            new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { [MeshResourceCatalog.MonitoredByLabel] = "osm" } } });
        cluster.MergePatch(MeshResourceCatalog.Namespaces, "", "enrolled",
            new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { [MeshResourceCatalog.MonitoredByLabel] = null } } });

        await Wait.UntilAsync(() => r.Sink.Changes.Count == 2);
        Assert.Equal([(ChangeType.Added, "plain"), (ChangeType.Deleted, "enrolled")], r.Sink.Changes.Select(c => (c.Change.Type, c.Change.Item.Name)));
    }

    [Fact]
    public async Task A_sink_that_throws_stops_the_reflector_with_the_exception()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var client = cluster.Client();
        var reflector = new Reflector(Mesh.Kubernetes.Access.ResourceClients.For(client, Egresses), new ThrowingSink(),
            new ReflectorMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry())), RunningReflector.Fast);
        var e = await Assert.ThrowsAsync<ReflectorSinkException>(() => reflector.RunAsync(CancellationToken.None).WaitAsync(Wait.Default));
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    private sealed class ThrowingSink : IReflectorSink
    {
        public void Synced(ReflectorSynced synced) => throw new InvalidOperationException("bug in the consumer");

        public void Changed(ReflectorChanged changed)
        {
        }

        public void Failed(ReflectorFailed failed)
        {
        }
    }
}
