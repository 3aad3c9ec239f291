using Mesh.Actors;
using Mesh.Control.Aggregation;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Control.Snapshots;

/// <summary>
/// The in-process <see cref="ISnapshotSource"/>: one latest-value topic per identity, fed by the aggregator.
/// Subscribing also asks the aggregator to track the identity, so a proxy whose identity no policy names still gets
/// its (empty) snapshot and becomes ready.
/// </summary>
public sealed class SnapshotHub : ISnapshotSource
{
    private readonly IActorRef<PolicyAggregatorMessage> _aggregator;

    internal SnapshotHub(LatestValueTopics<ServiceAccountIdentity, EgressSnapshot> topics, IActorRef<PolicyAggregatorMessage> aggregator)
    {
        Topics = topics;
        _aggregator = aggregator;
    }

    internal LatestValueTopics<ServiceAccountIdentity, EgressSnapshot> Topics { get; }

    public ISnapshotSubscription Subscribe(ServiceAccountIdentity identity)
    {
        // Subscribe first: whatever the aggregator publishes for the identity from now on reaches this reader.
        var subscription = new SnapshotSubscription(Topics.Subscribe(identity));
        _ = _aggregator.SendAsync(new TrackIdentity(identity)).AsTask();
        return subscription;
    }

    /// <summary>The identity's current snapshot, if one was published.</summary>
    public bool TryGetLatest(ServiceAccountIdentity identity, out EgressSnapshot? snapshot)
    {
        var found = Topics.TryGetLatest(identity, out var latest);
        snapshot = found ? latest.Value : null;
        return found;
    }
}
