using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using System.Text;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// The compact binary form of a snapshot: identity, switches, version, compiled rules (each prefixed with its length) and
/// issues, as length-prefixed UTF-8 strings and 7-bit integers. The receiver rebuilds the indexes and recompiles the route regexes, recomputes the
/// version from the content and checks it against the one sent, so a snapshot that does not rebuild identically is
/// refused, never enforced half-understood. The bytes of a snapshot are made once (a server sends the same snapshot to
/// every watcher of the identity): measured here for 20 KB, the default JSON serializer cost 117 µs + 166 µs a message
/// and 25 ms p99 delivery, a compact one 3 µs + 2 µs and 3-9 ms p99.
/// <para>
/// A receiver that still holds the identity's previous snapshot reuses each rule whose bytes are the same (the length
/// prefix delimits them without reading them) and, through <see cref="EgressSnapshot.FromParts"/>, the index of every
/// port whose rules all were: a change rebuilds what it changed. Identical bytes decode to an identical rule, so the
/// result is the same as a full decode; the version check covers it all the same. A server pushes a change encoded
/// against the snapshot it pushed before (<see cref="EncodeAgainst"/>): only the rules that changed travel.
/// </para>
/// </summary>
public static partial class SnapshotWire
{
    private const byte FormatVersion = 2;
    private static readonly ConditionalWeakTable<EgressSnapshot, EncodedSnapshot> Encoded = [];

    /// <summary>The snapshot's bytes (made once per snapshot instance).</summary>
    public static byte[] Encode(EgressSnapshot snapshot) => EncodedOf(snapshot).Bytes;

    /// <exception cref="SerializationException">
    /// Not a snapshot of this format, or it does not rebuild to the version it names, or it is encoded against a base.
    /// </exception>
    public static EgressSnapshot Decode(ReadOnlySpan<byte> bytes) =>
        Decode(bytes.ToArray(), previous: null)?.Snapshot
        ?? throw new SerializationException("a snapshot encoded against another one cannot be read without it");

    /// <summary>
    /// Decodes <paramref name="bytes"/> (kept by the result, not copied: the caller must not change them), reusing what
    /// is unchanged since <paramref name="previous"/>; null if they encode a change against a base (<see cref="EncodeAgainst"/>)
    /// that <paramref name="previous"/> is not.
    /// </summary>
    /// <exception cref="SerializationException">Not a snapshot of this format, or it does not rebuild to the version it names.</exception>
    internal static DecodedSnapshot? Decode(ArraySegment<byte> bytes, DecodedSnapshot? previous)
    {
        try
        {
            using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            return Read(r, bytes, previous);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or FormatException or OverflowException)
        {
            throw new SerializationException($"not a Mesh snapshot (format {FormatVersion} or {FormatAgainstBase}): {e.Message}", e);
        }
    }

    /// <summary>The identity a snapshot's bytes are of (read from their head).</summary>
    /// <exception cref="SerializationException">Not a snapshot of this format.</exception>
    internal static ServiceAccountIdentity IdentityOf(ArraySegment<byte> bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes.Array!, bytes.Offset, Math.Min(bytes.Count, 1024), writable: false);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            var format = r.ReadByte();
            if (format is not (FormatVersion or FormatAgainstBase)) throw new FormatException($"snapshot format {format} is not {FormatVersion} or {FormatAgainstBase}");
            return new ServiceAccountIdentity(r.ReadString(), r.ReadString());
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or FormatException or OverflowException)
        {
            throw new SerializationException($"not a Mesh snapshot (format {FormatVersion} or {FormatAgainstBase}): {e.Message}", e);
        }
    }

    private static EncodedSnapshot EncodedOf(EgressSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Encoded.GetValue(snapshot, static s =>
        {
            using var buffer = new MemoryStream();
            var rules = new List<Range>(s.Rules.Count);
            using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) Write(w, s, rules);
            return new EncodedSnapshot(buffer.ToArray(), [.. rules]);
        });
    }

    /// <param name="rules">If given, where each rule's bytes lie in the stream (BinaryWriter does not buffer).</param>
    internal static void Write(BinaryWriter w, EgressSnapshot s, List<Range>? rules = null)
    {
        WriteHead(w, FormatVersion, s);
        w.Write7BitEncodedInt(s.Rules.Count);
        using var rule = new MemoryStream();
        using var rw = new BinaryWriter(rule, Encoding.UTF8);
        foreach (var r in s.Rules)
        {
            rule.SetLength(0);
            WriteRule(rw, r);
            rw.Flush();
            w.Write7BitEncodedInt((int)rule.Length);
            rules?.Add(new Range((int)w.BaseStream.Position, (int)(w.BaseStream.Position + rule.Length)));
            w.Write(rule.GetBuffer(), 0, (int)rule.Length);
        }
        WriteStrings(w, s.Issues);
    }

    private static DecodedSnapshot? Read(BinaryReader r, ArraySegment<byte> bytes, DecodedSnapshot? previous)
    {
        var format = r.ReadByte();
        if (format is not (FormatVersion or FormatAgainstBase)) throw new FormatException($"snapshot format {format} is not {FormatVersion} or {FormatAgainstBase}");
        var identity = new ServiceAccountIdentity(r.ReadString(), r.ReadString());
        if (previous is not null && previous.Snapshot.Identity != identity) previous = null;
        var flags = r.ReadByte();
        var logLevel = r.ReadString();
        var version = r.ReadString();
        var againstBase = format == FormatAgainstBase;
        if (againstBase && r.ReadString() != previous?.Snapshot.Version) return null; // not the base it was encoded against
        var rules = new CompiledRule[Count(r)];
        var ruleBytes = new DecodedSnapshot.RuleBytes[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            if (againstBase && r.Read7BitEncodedInt() is var entry and not 0)
            {
                // The base's rule number entry - 1, unchanged.
                if (entry < 0 || entry > previous!.Snapshot.Rules.Count) throw new FormatException($"rule {i} names the base's rule {entry - 1}, which it does not have");
                rules[i] = previous.Snapshot.Rules[entry - 1];
                ruleBytes[i] = previous.RuleAt(entry - 1);
                continue;
            }
            var length = Count(r);
            var start = (int)r.BaseStream.Position;
            var slice = bytes.AsMemory(start, length);
            var hash = DecodedSnapshot.Hash(slice.Span);
            ruleBytes[i] = new DecodedSnapshot.RuleBytes(slice, hash);
            if (previous?.RuleWith(slice.Span, hash) is { } same)
            {
                rules[i] = same;
                r.BaseStream.Position = start + length;
                continue;
            }
            rules[i] = ReadRule(r);
            if (r.BaseStream.Position != start + length) throw new FormatException($"rule {i} is not the {length} bytes it says");
        }
        var issues = ReadStrings(r);
        if (r.BaseStream.Position != bytes.Count) throw new FormatException("bytes are left after the snapshot");
        var snapshot = EgressSnapshot.FromParts(identity, (flags & 1) != 0, (flags & 2) != 0, logLevel, rules, issues, previous?.Snapshot);
        return snapshot.Version == version
            ? new DecodedSnapshot(bytes, snapshot, ruleBytes)
            : throw new FormatException($"the snapshot rebuilt as version {snapshot.Version}, not the {version} it was sent as");
    }

    /// <summary>What both forms start with: format, identity, switches, the sidecars' log level, version.</summary>
    private static void WriteHead(BinaryWriter w, byte format, EgressSnapshot s)
    {
        w.Write(format);
        w.Write(s.Identity.Namespace);
        w.Write(s.Identity.Name);
        w.Write((byte)((s.EnableEgress ? 1 : 0) | (s.EnableEgressPolicy ? 2 : 0)));
        w.Write(s.SidecarLogLevel);
        w.Write(s.Version);
    }

    private static void WriteRule(BinaryWriter w, CompiledRule rule)
    {
        w.Write(rule.Ref.Policy.Namespace);
        w.Write(rule.Ref.Policy.Name);
        w.Write7BitEncodedInt(rule.Ref.Port);
        w.Write((byte)rule.Ref.Protocol);
        w.Write7BitEncodedInt(rule.Hosts.Count);
        foreach (var host in rule.Hosts) w.Write(host.ToString());
        WriteStrings(w, [.. rule.IPAddresses.Select(c => c.ToString())]);
        if (rule.Routes is null)
        {
            w.Write(false);
        }
        else
        {
            w.Write(true);
            w.Write7BitEncodedInt(rule.Routes.Count);
            foreach (var route in rule.Routes)
            {
                w.Write(route.Group);
                w.Write(route.Name);
                w.Write(route.PathRegex is not null);
                if (route.PathRegex is not null) w.Write(route.PathRegex);
                WriteStrings(w, route.Methods);
                w.Write7BitEncodedInt(route.HeaderPatterns.Count);
                foreach (var (name, pattern) in route.HeaderPatterns)
                {
                    w.Write(name);
                    w.Write(pattern);
                }
            }
        }
        WriteStrings(w, rule.MissingRouteGroups);
    }

    private static CompiledRule ReadRule(BinaryReader r)
    {
        var policy = new ResourceKey(ResourceKind.Egress, r.ReadString(), r.ReadString());
        var port = r.Read7BitEncodedInt();
        var protocol = (EgressProtocol)r.ReadByte();
        if (!Enum.IsDefined(protocol)) throw new FormatException($"protocol {(int)protocol} is unknown");
        var hosts = new HostPattern[Count(r)];
        for (var i = 0; i < hosts.Length; i++) hosts[i] = HostPattern.Parse(r.ReadString());
        var addresses = ReadStrings(r).Select(Cidr.Parse).ToArray();
        CompiledRoute[]? routes = null;
        if (r.ReadBoolean())
        {
            routes = new CompiledRoute[Count(r)];
            for (var i = 0; i < routes.Length; i++)
            {
                var group = r.ReadString();
                var name = r.ReadString();
                var path = r.ReadBoolean() ? r.ReadString() : null;
                var methods = ReadStrings(r);
                var headers = new KeyValuePair<string, string>[Count(r)];
                for (var h = 0; h < headers.Length; h++) headers[h] = KeyValuePair.Create(r.ReadString(), r.ReadString());
                routes[i] = CompiledRoute.Create(group, name, path, methods, headers);
            }
        }
        return new CompiledRule(new RuleRef(policy, port, protocol), hosts, addresses, routes, ReadStrings(r));
    }

    internal static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var value in values) w.Write(value);
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[Count(r)];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadString();
        return values;
    }

    /// <summary>A count, bounded by what is left to read: a corrupt length must not allocate gigabytes.</summary>
    private static int Count(BinaryReader r)
    {
        var count = r.Read7BitEncodedInt();
        return count >= 0 && count <= r.BaseStream.Length - r.BaseStream.Position ? count : throw new FormatException($"count {count} is out of range");
    }
}
