using System.Buffers;

namespace Mesh.Protocols.Tests.Support;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a socket pipe delivers them.</summary>
internal static class Segments
{
    /// <summary>One segment per piece; cut points must be ascending offsets into <paramref name="data"/>.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, IEnumerable<int> cuts)
    {
        var pieces = new List<byte[]>();
        int previous = 0;
        foreach (int cut in cuts.Where(c => c > 0 && c < data.Length).Distinct().Order())
        {
            pieces.Add(data[previous..cut]);
            previous = cut;
        }

        pieces.Add(data[previous..]);
        return FromPieces(pieces);
    }

    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts) => Split(data, (IEnumerable<int>)cuts);

    /// <summary>Every byte in its own segment: the worst case for code that peeks across boundaries.</summary>
    public static ReadOnlySequence<byte> SingleBytes(byte[] data) => Split(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)));

    public static ReadOnlySequence<byte> FromPieces(IReadOnlyList<byte[]> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(pieces[0], 0);
        Segment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
