using Mesh.Policy.Snapshots;

namespace Mesh.Control.Publishing;

// The snapshot server's protocol with the aggregator. Proxies speak Mesh.Cluster.Protocol (WatchSnapshots).

/// <summary>From the aggregator: the identity's snapshot changed; computed from inputs as far as <see cref="Order"/>.</summary>
internal sealed record PublishSnapshot(EgressSnapshot Snapshot, SnapshotOrder Order);

/// <summary>From a (re)started aggregator: tell me again, as TrackIdentity, every identity that has watchers.</summary>
internal sealed record ResendWatchedIdentities
{
    public static ResendWatchedIdentities Instance { get; } = new();

    private ResendWatchedIdentities()
    {
    }
}
