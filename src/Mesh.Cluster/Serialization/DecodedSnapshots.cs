using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// The snapshots a node decoded last, by their exact bytes. Every controller sends a proxy each new snapshot (each one's
/// server hears it on the identity's topic), so the second copy of a change is the first one's bytes again; decoding is
/// most of what receiving one costs (rules read, indexes rebuilt, the JSON form and version recomputed), and identical
/// bytes decode to an identical snapshot, so the copy takes the one already decoded. A snapshot is immutable: sharing
/// it between messages is safe. Bytes that do not decode are not remembered (each copy is refused on its own).
/// </summary>
internal sealed class DecodedSnapshots(int capacity = 16)
{
    private readonly (byte[] Bytes, EgressSnapshot Snapshot)[] _entries = new (byte[], EgressSnapshot)[capacity];
    private readonly Lock _lock = new();
    private int _next;

    /// <exception cref="System.Runtime.Serialization.SerializationException">Not a snapshot of this format, or it does not rebuild to its version.</exception>
    public EgressSnapshot Decode(ReadOnlySpan<byte> bytes)
    {
        // Remote messages from different controllers are read on different threads.
        lock (_lock)
        {
            foreach (var (known, snapshot) in _entries)
            {
                if (known is not null && bytes.SequenceEqual(known)) return snapshot;
            }
        }
        var decoded = SnapshotWire.Decode(bytes);
        lock (_lock)
        {
            _entries[_next] = (bytes.ToArray(), decoded);
            _next = (_next + 1) % _entries.Length;
        }
        return decoded;
    }
}
