using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

/// <summary>The chunked reader's state machine must give the same answer however its input is split.</summary>
public class ChunkedBodyReaderProperties
{
    private static readonly Gen<string> Extension = Gen.Elements("", ";a", ";a=b", " ; a = \"x;\\\"y\"", ";n=1;m");

    /// <summary>A random, valid chunked encoding of a random payload, with extensions and trailers.</summary>
    private static Gen<string> ValidBodies =>
        from chunks in Gen.ListOf(Gen.Choose(1, 300).Zip(Extension), 5)
        from upper in Gen.Elements(true, false)
        from trailers in Gen.Elements("", "X-Sum: 1\r\n", "A: b\r\nC:\r\n")
        select string.Concat(chunks.Select(c => $"{(upper ? c.Item1.ToString("X", null) : c.Item1.ToString("x", null))}{c.Item2}\r\n{new string('d', c.Item1)}\r\n"))
            + "0\r\n" + trailers + "\r\n";

    private static (ChunkedBodyStatus Status, long Consumed) FeedInPieces(byte[] data, int[] cuts)
    {
        var reader = new ChunkedBodyReader(maxLineLength: 64, maxTrailerSize: 64);
        int previous = 0;
        ChunkedBodyStatus status = ChunkedBodyStatus.NeedMoreData;
        foreach (int cut in cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().Append(data.Length))
        {
            status = reader.Read(data.AsSpan(previous, cut - previous), out int consumed);
            if (status != ChunkedBodyStatus.NeedMoreData)
            {
                return (status, previous + consumed);
            }

            previous = cut;
        }

        return (status, reader.BytesConsumed);
    }

    private static bool SameWhateverTheSplit((byte[] Data, int[] Cuts) input) =>
        FeedInPieces(input.Data, []) == FeedInPieces(input.Data, input.Cuts);

    [Fact]
    public Task Valid_bodies_complete_exactly_at_their_end_in_any_split() =>
        Properties.Check(
            ValidBodies.SelectMany(b => Mutations.Cuts(b.Length, 30).Select(c => (b, c))),
            t =>
            {
                byte[] data = Bytes.Of(t.b + "NEXT");
                return FeedInPieces(data, t.c) == (ChunkedBodyStatus.Complete, t.b.Length);
            },
            1000);

    [Fact]
    public Task Strict_prefixes_of_valid_bodies_need_more_data() =>
        Properties.Check(
            ValidBodies.SelectMany(b => Gen.Choose(0, b.Length - 1).Select(p => (b, p))),
            t => FeedInPieces(Bytes.Of(t.b[..t.p]), []) == (ChunkedBodyStatus.NeedMoreData, t.p),
            1000);

    [Fact]
    public Task Mutated_bodies_are_handled_consistently() =>
        Properties.Check(
            Mutations.WithCuts(ValidBodies.SelectMany(b => Mutations.Mutate(Encoding.Latin1.GetBytes(b)))),
            SameWhateverTheSplit,
            2000);

    [Fact]
    public Task Random_bytes_are_handled_consistently() =>
        Properties.Check(Mutations.WithCuts(Mutations.ProtocolishBytes(400)), SameWhateverTheSplit, 1000);
}
