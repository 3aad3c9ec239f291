using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Mesh.Actors;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Tests.Support;

/// <summary>An in-process snapshot source over <see cref="LatestValueTopics{TKey, TValue}"/>: the test publishes, the proxy reads.</summary>
internal sealed class TestSnapshotSource : ISnapshotSource
{
    private readonly LatestValueTopics<ServiceAccountIdentity, EgressSnapshot> _topics = new();

    public void Publish(EgressSnapshot snapshot) => Assert.True(_topics.Publish(snapshot.Identity, snapshot), "the topic hub refused a publication");

    public int SubscriberCount(ServiceAccountIdentity identity) => _topics.SubscriberCount(identity);

    public ISnapshotSubscription Subscribe(ServiceAccountIdentity identity) => new Subscription(identity, _topics.Subscribe(identity));

    public void Complete() => _topics.Complete();

    private sealed class Subscription(ServiceAccountIdentity identity, TopicSubscription<ServiceAccountIdentity, EgressSnapshot> topic)
        : ISnapshotSubscription
    {
        public ServiceAccountIdentity Identity { get; } = identity;

        public ChannelReader<EgressSnapshot> Snapshots { get; } = new MappingReader(topic.Reader);

        public void Dispose() => topic.Dispose();
    }

    /// <summary>Maps the topic's versioned values to the snapshots themselves, without a copy loop in between.</summary>
    private sealed class MappingReader(ChannelReader<Versioned<EgressSnapshot>> inner) : ChannelReader<EgressSnapshot>
    {
        public override Task Completion => inner.Completion;

        public override bool TryRead([MaybeNullWhen(false)] out EgressSnapshot item)
        {
            if (inner.TryRead(out var versioned))
            {
                item = versioned.Value;
                return true;
            }
            item = null;
            return false;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
    }
}
