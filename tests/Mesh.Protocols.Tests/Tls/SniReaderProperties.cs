using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Protocols.Tests.Support;
using Mesh.Protocols.Tls;

namespace Mesh.Protocols.Tests.Tls;

/// <summary>Robustness: random and mutated input never throws, and segmentation never changes the answer.</summary>
public class SniReaderProperties
{
    private static readonly byte[][] Seeds =
    [
        .. ClientHellos.All,
        TlsRecords.Fragment(TlsRecords.HandshakeMessage(ClientHellos.Tls13), 7, 100, 3),
        TlsRecords.Records(TlsRecords.ClientHello(TlsRecords.ServerName("a.example"), TlsRecords.Alpn("h2"))),
        TlsRecords.Records(TlsRecords.ClientHelloWithoutExtensions()),
    ];

    private static string Outcome(ReadOnlySequence<byte> buffer)
    {
        SniReadStatus status = SniReader.TryRead(buffer, out ClientHelloInfo hello, out SequencePosition consumed);
        return $"{status}|{hello.ServerName}|{string.Join(',', hello.ApplicationProtocols)}|{hello.OffersTls13}|{buffer.Slice(0, consumed).Length}";
    }

    private static bool SameWhateverTheSegmentation((byte[] Data, int[] Cuts) input) =>
        Outcome(new ReadOnlySequence<byte>(input.Data)) == Outcome(Segments.Split(input.Data, input.Cuts));

    private static Gen<byte[]> Mutated => Gen.Elements(Seeds).SelectMany(Mutations.Mutate);

    [Fact]
    public Task Random_bytes_are_handled_consistently() =>
        Properties.Check(Mutations.WithCuts(Mutations.RandomBytes(300)), SameWhateverTheSegmentation, 1000);

    [Fact]
    public Task Random_bytes_behind_a_valid_record_header_are_handled_consistently() =>
        Properties.Check(
            Mutations.WithCuts(Mutations.RandomBytes(400).Select(b => (byte[])[22, 3, 1, (byte)(b.Length >> 8), (byte)b.Length, 1, 0, (byte)(b.Length >> 8), (byte)(b.Length - 4), .. b])),
            SameWhateverTheSegmentation,
            1000);

    [Fact]
    public Task Mutated_real_hellos_are_handled_consistently() =>
        Properties.Check(Mutations.WithCuts(Mutated), SameWhateverTheSegmentation, 1500);

    [Fact]
    public Task Once_decided_more_bytes_do_not_change_the_answer() =>
        Properties.Check(
            Mutated.SelectMany(d => Gen.Choose(0, d.Length).Select(p => (d, p))),
            t =>
            {
                string prefix = Outcome(new ReadOnlySequence<byte>(t.d[..t.p]));
                return prefix.StartsWith("NeedMoreData", StringComparison.Ordinal) || prefix == Outcome(new ReadOnlySequence<byte>(t.d));
            },
            1500);

    [Fact]
    public Task Real_hellos_refragmented_into_random_records_and_segments_are_read() =>
        Properties.Check(
            Gen.Elements(ClientHellos.Tls13, ClientHellos.Tls12)
                .SelectMany(hello => Gen.ArrayOf(Gen.Choose(1, 400), 12).Select(sizes => TlsRecords.Fragment(TlsRecords.HandshakeMessage(hello), sizes)))
                .SelectMany(records => Mutations.Cuts(records.Length, 20).Select(cuts => (records, cuts))),
            t =>
            {
                SniReadStatus status = SniReader.TryRead(Segments.Split(t.records, t.cuts), out ClientHelloInfo hello, out _);
                return status == SniReadStatus.Success && hello.ServerName is "api.example.com" or "legacy.example.org";
            },
            500);
}
