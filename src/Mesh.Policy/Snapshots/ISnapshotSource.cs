using System.Threading.Channels;
using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// Where a proxy gets its identity's snapshots: in-process from the aggregator's hub today, across processes later.
/// Transport-neutral on purpose: the proxy sees a stream of snapshots and nothing else.
/// </summary>
public interface ISnapshotSource
{
    /// <summary>
    /// Subscribes to an identity. The reader yields the current snapshot as soon as there is one, then every newer
    /// one; a slow reader may skip intermediate versions but always ends on the newest. Disposing ends the stream.
    /// </summary>
    ISnapshotSubscription Subscribe(ServiceAccountIdentity identity);
}

/// <summary>One identity's stream of snapshots.</summary>
public interface ISnapshotSubscription : IDisposable
{
    ServiceAccountIdentity Identity { get; }

    ChannelReader<EgressSnapshot> Snapshots { get; }
}
