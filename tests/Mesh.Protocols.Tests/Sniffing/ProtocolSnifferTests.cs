using System.Buffers;
using Mesh.Protocols.Sniffing;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Sniffing;

public class ProtocolSnifferTests
{
    [Theory]
    [InlineData("", "NeedMoreData")]
    [InlineData("G", "NeedMoreData")]
    [InlineData("GE", "NeedMoreData")]
    [InlineData("GET", "NeedMoreData")]
    [InlineData("GET ", "Http1")]
    [InlineData("POST /upload HTTP/1.1\r\n", "Http1")]
    [InlineData("CONNECT a:443 HTTP/1.1\r\n", "Http1")]
    [InlineData("OPTIONS ", "Http1")]
    [InlineData("PROPFIND /dav/ HTTP/1.1\r\n", "Http1")]
    [InlineData("PROPFIND /dav/ HTTP/1.", "Http1")]
    [InlineData("PROPFIND /dav/ HTTP/", "NeedMoreData")]
    [InlineData("PROPFIND /dav/", "NeedMoreData")]
    [InlineData("PROPFIND /dav/ HTTP/2.0\r\n", "Opaque")]
    [InlineData("PROPFIND /dav/ FTP", "Opaque")]
    [InlineData("get / HTTP/1.1\r\n", "Http1")]
    [InlineData("PRI", "NeedMoreData")]
    [InlineData("PRI * HTTP/2.0\r\n", "NeedMoreData")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r", "NeedMoreData")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "Http2PriorKnowledge")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0012\u0004", "Http2PriorKnowledge")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nXX", "Opaque")]
    [InlineData("PRI * HTTP/1.1\r\n", "Http1")]
    [InlineData("\u0016", "NeedMoreData")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000", "NeedMoreData")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001", "Tls")]
    [InlineData("\u0016\u0003\u0003\u0000\u00f0\u0001\u0000", "Tls")]
    [InlineData("\u0016\u0003\u0001\u0000\u0000\u0001", "Opaque")]
    [InlineData("\u0016\u0003\u0001\u0040\u0001\u0001", "Opaque")]
    [InlineData("\u0016\u0003\u0005", "Opaque")]
    [InlineData("\u0016\u0002", "Opaque")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0002", "Opaque")]
    [InlineData("\u0080\u002e\u0001\u0003\u0001", "Opaque")]
    [InlineData("\u0017\u0003\u0003\u0000\u0010", "Opaque")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", "Opaque")]
    [InlineData("*1\r\n$4\r\nPING\r\n", "Opaque")]
    [InlineData("\u0000\u0000\u0000\u0008\u0004\u00d2\u0016\u002f", "Opaque")]
    [InlineData("GET\t/ HTTP/1.1", "Opaque")]
    [InlineData(" GET / HTTP/1.1", "Opaque")]
    [InlineData("\r\nGET / HTTP/1.1", "Opaque")]
    [InlineData("X / HTTP/1.1", "Http1")]
    [InlineData("X  / HTTP/1.1", "Opaque")]
    [InlineData("X /a\u0001 HTTP/1.1", "Opaque")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF", "NeedMoreData")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG", "Opaque")]
    public void Classifies_first_bytes(string text, string expected)
    {
        byte[] data = Bytes.Of(text);
        SniffedProtocol want = Enum.Parse<SniffedProtocol>(expected);

        Assert.Equal(want, ProtocolSniffer.Sniff(data));
        Assert.Equal(want, ProtocolSniffer.Sniff(Segments.SingleBytes(data)));
    }

    [Fact]
    public void Real_client_hellos_are_tls()
    {
        foreach (byte[] hello in ClientHellos.All)
        {
            Assert.Equal(SniffedProtocol.Tls, ProtocolSniffer.Sniff(new ReadOnlySequence<byte>(hello)));
            Assert.Equal(SniffedProtocol.Tls, ProtocolSniffer.Sniff(hello.AsSpan(0, 6)));
        }
    }

    [Fact]
    public void An_ambiguous_prefix_becomes_opaque_at_the_byte_limit()
    {
        byte[] data = Bytes.Of("PROPFIND /" + new string('a', 20_000));

        Assert.Equal(SniffedProtocol.Opaque, ProtocolSniffer.Sniff(data));
        Assert.Equal(SniffedProtocol.NeedMoreData, ProtocolSniffer.Sniff(data.AsSpan(0, ProtocolSniffer.DefaultMaxBytes - 1)));
        Assert.Equal(SniffedProtocol.Opaque, ProtocolSniffer.Sniff(data.AsSpan(0, 12), maxBytes: 12));
        Assert.Equal(SniffedProtocol.Opaque, ProtocolSniffer.Sniff(Segments.Split(data, 5, 100, 9000), maxBytes: 12));
    }

    [Fact]
    public void Every_prefix_of_an_http_request_is_undecided_until_the_method_and_space_arrive()
    {
        byte[] data = Bytes.Of("DELETE /x HTTP/1.1\r\n");
        for (int length = 0; length < 7; length++)
        {
            Assert.Equal(SniffedProtocol.NeedMoreData, ProtocolSniffer.Sniff(data.AsSpan(0, length)));
        }

        for (int length = 7; length <= data.Length; length++)
        {
            Assert.Equal(SniffedProtocol.Http1, ProtocolSniffer.Sniff(data.AsSpan(0, length)));
        }
    }
}
