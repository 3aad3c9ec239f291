using System.Net;
using Akka.Actor;
using Mesh.Cluster.Protocol;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;
using static Mesh.Proxy.Tests.Support.Policies;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>The identity actor and what the node's wire serializer keeps of its identity.</summary>
public sealed class IdentityActorWireTests(ITestOutputHelper output) : MeshTestKit(output)
{
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
}
