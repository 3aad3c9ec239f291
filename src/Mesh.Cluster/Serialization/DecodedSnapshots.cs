using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// The snapshot a node decoded last for each identity, with its bytes. Every controller sends a proxy each new snapshot
/// (each one's server hears it on the identity's topic), so the second copy of a change is the first one's bytes again
/// and takes the snapshot already decoded; and a new snapshot is decoded against the identity's last one, reusing every
/// rule and port index it did not change (<see cref="SnapshotWire"/>). A snapshot is immutable: sharing it, or parts of
/// it, between messages is safe. Bytes that do not decode are not remembered (each copy is refused on its own). One entry
/// per identity the node was sent: the few it serves.
/// </summary>
internal sealed class DecodedSnapshots
{
    private readonly Dictionary<ServiceAccountIdentity, DecodedSnapshot> _last = [];
    private readonly Lock _lock = new();

    /// <exception cref="System.Runtime.Serialization.SerializationException">Not a snapshot of this format, or it does not rebuild to its version.</exception>
    public EgressSnapshot Decode(ReadOnlySpan<byte> bytes)
    {
        var identity = SnapshotWire.IdentityOf(bytes);
        DecodedSnapshot? previous;
        // Remote messages from different controllers are read on different threads.
        lock (_lock)
        {
            if (_last.TryGetValue(identity, out previous) && bytes.SequenceEqual(previous.Bytes)) return previous.Snapshot;
        }
        var decoded = SnapshotWire.Decode(bytes.ToArray(), previous);
        lock (_lock)
        {
            _last[decoded.Snapshot.Identity] = decoded;
        }
        return decoded.Snapshot;
    }
}
