using Akka.Actor;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// The snapshot a node decoded last for each identity, with its bytes. A proxy may get a change from more than one
/// controller (one that prefers none, or while another takes over), so a second copy is the first one's bytes again and
/// takes the snapshot already decoded; a new snapshot is decoded against the identity's last one, reusing every rule and
/// port index it did not change, and a change encoded against a base is read only if the last one is that base
/// (<see cref="SnapshotWire"/>). A snapshot is immutable: sharing it, or parts of
/// it, between messages is safe. Bytes that do not decode are not remembered (each copy is refused on its own). One entry
/// per identity the node serves: its identity actor forgets its entry when it stops (<see cref="Forget"/>).
/// </summary>
internal sealed class DecodedSnapshots : IExtension
{
    private static readonly Provider Id = new();
    private readonly Dictionary<ServiceAccountIdentity, DecodedSnapshot> _last = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// The one of <paramref name="system"/>, an actor system extension: every instance of the serializer shares it
    /// (Akka makes one per configured serializer; tests make their own), and an identity actor reaches it to forget its
    /// identity without looking a serializer up.
    /// </summary>
    public static DecodedSnapshots Of(ActorSystem system) => Id.Apply(system); // registers it on first use

    /// <summary>
    /// The snapshot <paramref name="bytes"/> encode. They are kept, not copied (the serializer's message array, which
    /// nothing else holds): a copy was 20 KB more garbage per proxy and change, and the 100 proxies of bench/cluster's
    /// in-process host all collect together.
    /// </summary>
    /// <returns>Null if they encode a change against a base snapshot that is not the last one decoded for the identity.</returns>
    /// <exception cref="System.Runtime.Serialization.SerializationException">Not a snapshot of this format, or it does not rebuild to its version.</exception>
    public EgressSnapshot? Decode(ArraySegment<byte> bytes)
    {
        var identity = SnapshotWire.IdentityOf(bytes);
        DecodedSnapshot? previous;
        // Remote messages from different controllers are read on different threads.
        lock (_lock)
        {
            if (_last.TryGetValue(identity, out previous) && bytes.AsSpan().SequenceEqual(previous.Bytes)) return previous.Snapshot;
        }
        var decoded = SnapshotWire.Decode(bytes, previous);
        if (decoded is null) return null;
        lock (_lock)
        {
            _last[decoded.Snapshot.Identity] = decoded;
        }
        return decoded.Snapshot;
    }

    /// <summary>Drops what is kept for <paramref name="identity"/>: the node no longer serves it.</summary>
    public void Forget(ServiceAccountIdentity identity)
    {
        lock (_lock) _last.Remove(identity);
    }

    private sealed class Provider : ExtensionIdProvider<DecodedSnapshots>
    {
        public override DecodedSnapshots CreateExtension(ExtendedActorSystem system) => new();
    }
}
