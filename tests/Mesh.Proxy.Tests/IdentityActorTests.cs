using System.Net;
using Akka.Actor;
using Mesh.Cluster.Protocol;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;
using static Mesh.Proxy.Tests.Support.Policies;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The identity actor against a probe standing in for the controllers: what it asks, when, and which snapshots it
/// takes. Several controllers may send it snapshots; only one whose inputs supersede what it holds is applied.
/// </summary>
public sealed class IdentityActorTests(ITestOutputHelper output) : MeshTestKit(output)
{
    private static readonly SnapshotOrder Early = SnapshotOrder.None.With("manifest-watcher", 100);
    private static readonly SnapshotOrder Later = SnapshotOrder.None.With("manifest-watcher", 200);

    private async Task<(ProxyNode Node, Akka.TestKit.TestProbe Source, CollectorRegistry Registry)> StartAsync(TimeSpan rewatch)
    {
        var source = CreateTestProbe();
        var registry = Metrics.NewCustomRegistry();
        var node = await ProxyNode.StartAsync(ProxyNode.CreateRoot(Sys), Curl, source.Ref, new ProxyOptions { RewatchInterval = rewatch },
            new ProxyMetrics(registry, Curl), NullLoggerFactory.Instance, outboundEndpoints: [new IPEndPoint(IPAddress.Loopback, 0)]);
        var first = await source.ExpectMsgAsync<WatchSnapshots>();
        Assert.Equal((Curl, (string?)null), (first.Identity, first.HaveVersion));
        return (node, source, registry);
    }

    [Fact]
    public async Task It_watches_at_once_and_again_every_interval_saying_which_version_it_holds()
    {
        var (node, source, _) = await StartAsync(TimeSpan.FromMilliseconds(300));
        var snapshot = Compile(Egress("a", "curl/curl", 443, "tcp"));
        node.Actor.Tell(new SnapshotPublished(snapshot, Early, 1, "server-1"), source.Ref);

        var again = await source.FishForMessageAsync<WatchSnapshots>(w => w.HaveVersion is not null, TimeSpan.FromSeconds(3));

        Assert.Equal(snapshot.Version, again.HaveVersion);
        Assert.Same(snapshot, node.Snapshot);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task An_older_snapshot_arriving_after_a_newer_one_is_ignored_and_counted()
    {
        var (node, source, registry) = await StartAsync(TimeSpan.FromHours(1));
        var newer = Compile(Egress("a", "curl/curl", 8443, "tcp"));
        var older = Compile(Egress("a", "curl/curl", 443, "tcp"));

        node.Actor.Tell(new SnapshotPublished(newer, Later), source.Ref);
        await AwaitConditionAsync(() => Task.FromResult(ReferenceEquals(node.Snapshot, newer)));
        node.Actor.Tell(new SnapshotPublished(older, Early), source.Ref); // a lagging controller's

        await AwaitConditionAsync(async () => (await Render(registry)).Contains("mesh_snapshots_ignored_total{identity=\"curl/curl\"} 1", StringComparison.Ordinal));
        Assert.Same(newer, node.Snapshot);
        Assert.Equal(Later, node.View.Order);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task Snapshots_from_controllers_lagging_on_different_sources_do_not_replace_each_other()
    {
        var (node, source, _) = await StartAsync(TimeSpan.FromHours(1));
        var fromOne = Compile(Egress("a", "curl/curl", 443, "tcp"));
        var fromOther = Compile(Egress("a", "curl/curl", 444, "tcp"));
        var caughtUp = Compile(Egress("a", "curl/curl", 445, "tcp"));
        var one = SnapshotOrder.None.With("egresses", 10).With("routes", 5);
        var other = SnapshotOrder.None.With("egresses", 8).With("routes", 7);

        node.Actor.Tell(new SnapshotPublished(fromOne, one), source.Ref);
        node.Actor.Tell(new SnapshotPublished(fromOther, other), source.Ref);
        node.Actor.Tell(new SnapshotPublished(caughtUp, one.With("routes", 7)), source.Ref);

        await AwaitConditionAsync(() => Task.FromResult(ReferenceEquals(node.Snapshot, caughtUp)));
        await node.DisposeAsync();
    }

    [Fact]
    public async Task A_gap_in_a_servers_sequence_asks_for_the_current_snapshot_at_once()
    {
        var (node, source, registry) = await StartAsync(TimeSpan.FromHours(1));
        node.Actor.Tell(new SnapshotPublished(Compile(Egress("a", "curl/curl", 443, "tcp")), Early, 1, "server-1"), source.Ref);
        await source.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)); // in order: nothing to ask

        node.Actor.Tell(new SnapshotPublished(Compile(Egress("a", "curl/curl", 8443, "tcp")), Later, 3, "server-1"), source.Ref); // 2 was lost

        var resync = await source.ExpectMsgAsync<WatchSnapshots>();
        Assert.Null(resync.HaveVersion);
        Assert.Contains("mesh_snapshot_sequence_gaps_total{identity=\"curl/curl\"} 1", await Render(registry), StringComparison.Ordinal);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task A_change_against_a_snapshot_it_does_not_hold_asks_for_the_whole_one_at_once_and_keeps_its_own()
    {
        var (node, source, registry) = await StartAsync(TimeSpan.FromHours(1));
        var held = Compile(Egress("a", "curl/curl", 443, "tcp"));
        node.Actor.Tell(new SnapshotPublished(held, Early, 1, "server-1"), source.Ref);
        await AwaitConditionAsync(() => Task.FromResult(ReferenceEquals(node.Snapshot, held)));

        node.Actor.Tell(new SnapshotBaseMissing(Curl, Later, 2, "server-1"), source.Ref); // what the serializer makes of it

        var resync = await source.ExpectMsgAsync<WatchSnapshots>();
        Assert.Equal(held.Version, resync.HaveVersion);
        Assert.Same(held, node.Snapshot);
        Assert.Contains("mesh_snapshot_bases_missing_total{identity=\"curl/curl\"} 1", await Render(registry), StringComparison.Ordinal);
        Assert.Contains("mesh_snapshot_sequence_gaps_total{identity=\"curl/curl\"} 0", await Render(registry), StringComparison.Ordinal);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task A_source_that_stops_answering_is_reported_unreachable_and_the_snapshot_stays_in_force()
    {
        var (node, source, registry) = await StartAsync(TimeSpan.FromMilliseconds(200));
        var snapshot = Compile(Egress("a", "curl/curl", 443, "tcp"));
        node.Actor.Tell(new SnapshotPublished(snapshot, Early, 1, "server-1"), source.Ref);
        await AwaitConditionAsync(() => Task.FromResult(ReferenceEquals(node.Snapshot, snapshot)));

        // Nobody answers the re-watches from now on.
        await AwaitConditionAsync(() => Task.FromResult(!node.View.SourceReachable), TimeSpan.FromSeconds(5));

        Assert.Same(snapshot, node.Snapshot);
        Assert.True(node.IsReady);
        Assert.Contains("mesh_controller_reachable{identity=\"curl/curl\"} 0", await Render(registry), StringComparison.Ordinal);
        node.Actor.Tell(new SnapshotCurrent(Curl, snapshot.Version, 1, "server-2"), source.Ref); // one answers again
        await AwaitConditionAsync(() => Task.FromResult(node.View.SourceReachable));
        await node.DisposeAsync();
    }

    private static async Task<string> Render(CollectorRegistry registry)
    {
        using var text = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    [Fact]
    public async Task An_identity_the_node_stops_serving_leaves_no_snapshot_behind_in_the_serializer()
    {
        var wire = new MeshWireSerializer((ExtendedActorSystem)Sys); // any instance: they share what the system decoded
        var message = new SnapshotPublished(Compile(Egress("a", "curl/curl", 443, "tcp")), SnapshotOrder.None.With("manifest-watcher", 1), 1, "server-1");
        var bytes = wire.ToBinary(message);
        SnapshotPublished Receive() => (SnapshotPublished)wire.FromBinary(bytes, wire.Manifest(message));

        var source = CreateTestProbe();
        var node = await ProxyNode.StartAsync(ProxyNode.CreateRoot(Sys), Curl, source.Ref, new ProxyOptions(),
            new ProxyMetrics(Metrics.NewCustomRegistry(), Curl), NullLoggerFactory.Instance, outboundEndpoints: [new IPEndPoint(IPAddress.Loopback, 0)]);
        var kept = Receive().Snapshot;
        Assert.Same(kept, Receive().Snapshot); // kept while the node serves the identity: the next is decoded against it

        await node.DisposeAsync();

        await AwaitConditionAsync(() => Task.FromResult(!ReferenceEquals(kept, Receive().Snapshot)));
        Assert.Equal(kept.Version, Receive().Snapshot.Version);
    }

    [Fact]
    public async Task Serving_an_identity_the_node_serves_already_is_refused_and_leaves_the_first_serving()
    {
        var root = ProxyNode.CreateRoot(Sys);
        var source = CreateTestProbe();
        Task<ProxyNode> Serve() => ProxyNode.StartAsync(root, Curl, source.Ref, new ProxyOptions(),
            new ProxyMetrics(Metrics.NewCustomRegistry(), Curl), NullLoggerFactory.Instance, outboundEndpoints: [new IPEndPoint(IPAddress.Loopback, 0)]);
        var first = await Serve();
        await source.ExpectMsgAsync<WatchSnapshots>();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(Serve);

        Assert.Contains("curl/curl is already served", refused.Message);
        var snapshot = Compile(Egress("a", "curl/curl", 443, "tcp"));
        first.Actor.Tell(new SnapshotPublished(snapshot, Early, 1, "server-1"), source.Ref);
        await AwaitConditionAsync(() => Task.FromResult(ReferenceEquals(first.Snapshot, snapshot) && first.IsAcceptingOutbound));
        await first.DisposeAsync();
    }
}
