using System.Threading.Channels;
using Mesh.Actors;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Control.Snapshots;

/// <summary>
/// One proxy's subscription to its identity's topic: adapts a <see cref="LatestValueTopics{TKey, TValue}"/> subscription
/// to the transport-neutral <see cref="ISnapshotSubscription"/> (public so any in-process hub can serve proxies).
/// </summary>
public sealed class SnapshotSubscription : ISnapshotSubscription
{
    private readonly TopicSubscription<ServiceAccountIdentity, EgressSnapshot> _topic;

    public SnapshotSubscription(TopicSubscription<ServiceAccountIdentity, EgressSnapshot> topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        _topic = topic;
        Snapshots = new SnapshotReader(topic.Reader);
    }

    public ServiceAccountIdentity Identity => _topic.Key;

    public ChannelReader<EgressSnapshot> Snapshots { get; }

    public void Dispose() => _topic.Dispose();
}
