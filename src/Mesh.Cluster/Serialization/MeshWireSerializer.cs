using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Mesh.Cluster.Protocol;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// The wire format of Mesh's protocol (<see cref="IMeshWireMessage"/>): short manifests with a version ("s1"), compact
/// binary bodies, actor references as serialized paths. An unknown manifest is a <see cref="SerializationException"/>,
/// which remoting logs and drops (a rolling upgrade can add messages); a snapshot that does not rebuild to the version it
/// names is refused the same way.
/// </summary>
public sealed class MeshWireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stable and above Akka's own (0-100).</summary>
    public const int Id = 8472;

    private const string Watch = "w2";
    private const string Unwatch = "u1";
    private const string Published = "s1";
    private const string Current = "c1";
    private const string TooLarge = "t1";

    /// <summary>The bytes of each snapshot message sent (kept while the message is).</summary>
    private static readonly ConditionalWeakTable<SnapshotPublished, byte[]> Serialized = [];

    /// <summary>One per actor system: a proxy node decodes each snapshot once, however many controllers send it.</summary>
    private DecodedSnapshots? _decoded;

    public override int Identifier => Id;

    /// <summary>
    /// Forgets the last snapshot <paramref name="system"/> decoded for <paramref name="identity"/> (its bytes and rules,
    /// kept to decode the next one against): the node stopped serving it. A snapshot of it that still arrives is decoded
    /// in full.
    /// </summary>
    public static void Forget(ActorSystem system, ServiceAccountIdentity identity) => DecodedSnapshots.Of(system).Forget(identity);

    public override string Manifest(object o) => o switch
    {
        WatchSnapshots => Watch,
        UnwatchSnapshots => Unwatch,
        SnapshotPublished => Published,
        SnapshotCurrent => Current,
        SnapshotTooLarge => TooLarge,
        _ => throw new SerializationException($"{o.GetType()} is not a Mesh wire message"),
    };

    public override byte[] ToBinary(object obj) =>
        // A server sends one message instance to every watcher of the identity: serialize it once.
        obj is SnapshotPublished published ? Serialized.GetValue(published, static m => Serialize(m)) : Serialize(obj);

    private static byte[] Serialize(object obj)
    {
        // Made once per snapshot (whole) or per message (against its base), whatever the number of watchers.
        var snapshot = obj is SnapshotPublished p
            ? p.Base is null ? SnapshotWire.Encode(p.Snapshot) : SnapshotWire.EncodeAgainst(p.Snapshot, p.Base)
            : [];
        using var buffer = new MemoryStream(snapshot.Length + 256);
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case WatchSnapshots m:
                    WriteIdentity(w, m.Identity);
                    w.Write(Akka.Serialization.Serialization.SerializedActorPath(m.Watcher));
                    w.Write(m.HaveVersion ?? "");
                    w.Write(m.Preferred?.ToString() ?? "");
                    break;
                case UnwatchSnapshots m:
                    WriteIdentity(w, m.Identity);
                    w.Write(Akka.Serialization.Serialization.SerializedActorPath(m.Watcher));
                    break;
                case SnapshotPublished m:
                    WriteOrder(w, m.Order);
                    w.Write(m.Sequence);
                    w.Write(m.Server);
                    w.Write(snapshot);
                    break;
                case SnapshotCurrent m:
                    WriteIdentity(w, m.Identity);
                    w.Write(m.Version);
                    w.Write(m.Sequence);
                    w.Write(m.Server);
                    break;
                case SnapshotTooLarge m:
                    WriteIdentity(w, m.Identity);
                    w.Write(m.Version);
                    w.Write(m.Bytes);
                    w.Write(m.Limit);
                    break;
                default:
                    throw new SerializationException($"{obj?.GetType()} is not a Mesh wire message");
            }
        }
        return buffer.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            return manifest switch
            {
                Watch => new WatchSnapshots(ReadIdentity(r), ReadRef(r), r.ReadString() is { Length: > 0 } have ? have : null,
                    r.ReadString() is { Length: > 0 } preferred ? Address.Parse(preferred) : null),
                Unwatch => new UnwatchSnapshots(ReadIdentity(r), ReadRef(r)),
                Published => ReadPublished(r, bytes),
                Current => new SnapshotCurrent(ReadIdentity(r), r.ReadString(), r.ReadInt64(), r.ReadString()),
                TooLarge => new SnapshotTooLarge(ReadIdentity(r), r.ReadString(), r.ReadInt64(), r.ReadInt64()),
                _ => throw new SerializationException($"unknown Mesh wire manifest '{manifest}'"),
            };
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            throw new SerializationException($"a malformed Mesh wire message '{manifest}': {e.Message}", e);
        }
    }

    private object ReadPublished(BinaryReader r, byte[] bytes)
    {
        var order = ReadOrder(r);
        var sequence = r.ReadInt64();
        var server = r.ReadString();
        var offset = (int)r.BaseStream.Position;
        var snapshot = new ArraySegment<byte>(bytes, offset, bytes.Length - offset);
        _decoded ??= DecodedSnapshots.Of(system); // not while the actor system builds its serializers
        return _decoded.Decode(snapshot) is { } decoded
            ? new SnapshotPublished(decoded, order, sequence, server)
            : new SnapshotBaseMissing(SnapshotWire.IdentityOf(snapshot), order, sequence, server);
    }

    private IActorRef ReadRef(BinaryReader r) => system.Provider.ResolveActorRef(r.ReadString());

    private static void WriteIdentity(BinaryWriter w, ServiceAccountIdentity identity)
    {
        w.Write(identity.Namespace);
        w.Write(identity.Name);
    }

    private static ServiceAccountIdentity ReadIdentity(BinaryReader r) => new(r.ReadString(), r.ReadString());

    private static void WriteOrder(BinaryWriter w, SnapshotOrder order)
    {
        w.Write7BitEncodedInt(order.Positions.Count);
        foreach (var (source, position) in order.Positions)
        {
            w.Write(source);
            w.Write(position);
        }
    }

    private static SnapshotOrder ReadOrder(BinaryReader r)
    {
        var count = r.Read7BitEncodedInt();
        if (count is < 0 or > 64) throw new FormatException($"an order of {count} sources");
        var positions = new KeyValuePair<string, ulong>[count];
        for (var i = 0; i < count; i++) positions[i] = KeyValuePair.Create(r.ReadString(), r.ReadUInt64());
        return SnapshotOrder.From(positions);
    }
}
