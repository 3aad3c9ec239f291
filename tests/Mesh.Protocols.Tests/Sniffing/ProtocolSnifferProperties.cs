using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Protocols.Sniffing;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Sniffing;

/// <summary>The sniffer's answer is a function of the bytes, never of their segmentation or of later bytes.</summary>
public class ProtocolSnifferProperties
{
    private static readonly byte[][] Seeds =
    [
        ClientHellos.Tls13,
        Bytes.Of("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Bytes.Of("PROPFIND /dav HTTP/1.1\r\n"),
        Bytes.Of("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000"),
    ];

    private static Gen<byte[]> Inputs => Gen.OneOf(
        Gen.Elements(Seeds).SelectMany(Mutations.Mutate),
        Mutations.ProtocolishBytes(200),
        Mutations.RandomBytes(50));

    [Fact]
    public Task Segmentation_does_not_matter() =>
        Properties.Check(
            Mutations.WithCuts(Inputs),
            t => ProtocolSniffer.Sniff(new ReadOnlySequence<byte>(t.Data), 64) == ProtocolSniffer.Sniff(Segments.Split(t.Data, t.Cuts), 64),
            2000);

    [Fact]
    public Task Once_decided_more_bytes_do_not_change_the_answer() =>
        Properties.Check(
            Inputs.SelectMany(d => Gen.Choose(0, d.Length).Select(p => (d, p))),
            t =>
            {
                SniffedProtocol prefix = ProtocolSniffer.Sniff(t.d.AsSpan(0, t.p));
                return prefix == SniffedProtocol.Undecided || prefix == ProtocolSniffer.Sniff(t.d);
            },
            2000);

    [Fact]
    public Task Never_undecided_at_the_byte_limit() =>
        Properties.Check(
            Inputs.Where(d => d.Length >= 8),
            d => ProtocolSniffer.Sniff(d, maxBytes: 8) != SniffedProtocol.Undecided,
            1000);
}
