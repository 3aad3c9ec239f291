using System.Threading.Channels;
using Mesh.Actors;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Control.Snapshots;

/// <summary>One proxy's subscription to its identity's topic.</summary>
internal sealed class SnapshotSubscription : ISnapshotSubscription
{
    private readonly TopicSubscription<ServiceAccountIdentity, EgressSnapshot> _topic;

    public SnapshotSubscription(TopicSubscription<ServiceAccountIdentity, EgressSnapshot> topic)
    {
        _topic = topic;
        Snapshots = new SnapshotReader(topic.Reader);
    }

    public ServiceAccountIdentity Identity => _topic.Key;

    public ChannelReader<EgressSnapshot> Snapshots { get; }

    public void Dispose() => _topic.Dispose();
}
