using System.Text;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Serialization;

/// <summary>
/// A snapshot encoded against a base, the snapshot its server pushed before it: the same head, the base's version, then
/// for each rule either the number of the base's rule with the same bytes or the rule's own bytes, then the issues. A
/// change of one policy in 100 travels as 187 bytes instead of 5,199 (SnapshotWireBenchmarks). Why: remoting copies a
/// message's payload twice on receipt, and bench/cluster's 100 proxies in one process allocated 8-11 MB per change, so
/// the host collected every 7-13 changes and each collection paused all of them; pushed as changes, about 3 MB (half of
/// it the idle heartbeats'), one collection in 25-40 changes (docs/benchmarks.md). A receiver that does not hold
/// the base gets nothing it could apply (<see cref="Decode(ArraySegment{byte}, DecodedSnapshot?)"/> returns null) and asks
/// for the whole snapshot; what it rebuilds is checked against the version sent, as a whole snapshot is.
/// </summary>
public static partial class SnapshotWire
{
    private const byte FormatAgainstBase = 3;

    /// <summary>
    /// <paramref name="snapshot"/>'s bytes encoded against <paramref name="baseSnapshot"/>, or its whole bytes where that
    /// would not be shorter (another identity, or every rule changed).
    /// </summary>
    public static byte[] EncodeAgainst(EgressSnapshot snapshot, EgressSnapshot baseSnapshot)
    {
        ArgumentNullException.ThrowIfNull(baseSnapshot);
        var whole = EncodedOf(snapshot);
        if (snapshot.Identity != baseSnapshot.Identity) return whole.Bytes;
        var based = EncodedOf(baseSnapshot);
        var baseRules = new Dictionary<int, int>(based.Rules.Length);
        for (var i = 0; i < based.Rules.Length; i++) baseRules.TryAdd(DecodedSnapshot.Hash(based.Rule(i)), i);

        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            WriteHead(w, FormatAgainstBase, snapshot);
            w.Write(baseSnapshot.Version);
            w.Write7BitEncodedInt(whole.Rules.Length);
            for (var i = 0; i < whole.Rules.Length; i++)
            {
                var rule = whole.Rule(i);
                if (baseRules.TryGetValue(DecodedSnapshot.Hash(rule), out var same) && based.Rule(same).SequenceEqual(rule))
                {
                    w.Write7BitEncodedInt(same + 1);
                    continue;
                }
                w.Write7BitEncodedInt(0);
                w.Write7BitEncodedInt(rule.Length);
                w.Write(rule);
            }
            WriteStrings(w, snapshot.Issues);
        }
        return buffer.Length < whole.Bytes.Length ? buffer.ToArray() : whole.Bytes;
    }

    /// <summary>A snapshot's whole bytes and where each of its rules lies in them.</summary>
    private sealed class EncodedSnapshot(byte[] bytes, Range[] rules)
    {
        public byte[] Bytes { get; } = bytes;

        public Range[] Rules { get; } = rules;

        public ReadOnlySpan<byte> Rule(int i) => Bytes.AsSpan(Rules[i]);
    }
}
