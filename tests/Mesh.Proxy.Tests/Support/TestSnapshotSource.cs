using Mesh.Actors;
using Mesh.Control.Snapshots;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Tests.Support;

/// <summary>An in-process snapshot source over <see cref="LatestValueTopics{TKey, TValue}"/>: the test publishes, the proxy reads.</summary>
internal sealed class TestSnapshotSource : ISnapshotSource
{
    private readonly LatestValueTopics<ServiceAccountIdentity, EgressSnapshot> _topics = new();

    public void Publish(EgressSnapshot snapshot) => Assert.True(_topics.Publish(snapshot.Identity, snapshot), "the topic hub refused a publication");

    public int SubscriberCount(ServiceAccountIdentity identity) => _topics.SubscriberCount(identity);

    public ISnapshotSubscription Subscribe(ServiceAccountIdentity identity) => new SnapshotSubscription(_topics.Subscribe(identity));

    public void Complete() => _topics.Complete();
}
