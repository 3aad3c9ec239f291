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
    // A token and whitespace are enough: the parser, not the sniffer, refuses what is not HTTP/1.x.
    [InlineData("PROPFIND /dav/ HTTP/", "Http1")]
    [InlineData("PROPFIND ", "Http1")]
    [InlineData("PROPFIND /dav/ HTTP/2.0\r\n", "Http1")]
    [InlineData("PROPFIND /dav/ FTP", "Http1")]
    [InlineData("get / HTTP/1.1\r\n", "Http1")]
    [InlineData("PRI", "NeedMoreData")]
    [InlineData("PRI * HTTP/2.0\r\n", "NeedMoreData")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r", "NeedMoreData")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "Http2PriorKnowledge")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0012\u0004", "Http2PriorKnowledge")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nXX", "Http1")]
    [InlineData("\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "Http1")]
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
    // What lenient servers read as a request line (RFC 9112 §2.2 empty lines, §3 any whitespace as separator) is
    // HTTP here too, so it is inspected (and refused by the strict parser) rather than passed as opaque TCP.
    [InlineData("GET\t/ HTTP/1.1", "Http1")]
    [InlineData("get\v/ HTTP/1.1", "Http1")]
    [InlineData("GET\f/", "Http1")]
    [InlineData("GET\r/ HTTP/1.1", "Http1")]
    [InlineData("GET\r", "NeedMoreData")]
    [InlineData("GET\r\n", "Opaque")]
    [InlineData("PING\r\n", "Opaque")]
    [InlineData(" GET / HTTP/1.1", "Http1")]
    [InlineData("\r\nGET / HTTP/1.1", "Http1")]
    [InlineData("\r\n", "NeedMoreData")]
    [InlineData("\n\n\r\n\t", "NeedMoreData")]
    [InlineData("\n\nGE", "NeedMoreData")]
    [InlineData("\n\nGET ", "Http1")]
    [InlineData("\r\n\u0016\u0003\u0001", "Opaque")]
    [InlineData("X / HTTP/1.1", "Http1")]
    [InlineData("X  / HTTP/1.1", "Http1")]
    [InlineData("X /a\u0001 HTTP/1.1", "Http1")]
    [InlineData("GET/ HTTP/1.1", "Opaque")]
    [InlineData("\u00ef\u00bb\u00bfGET / HTTP/1.1", "Opaque")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", "NeedMoreData")]
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
    public void A_prefix_still_undecided_at_the_byte_limit_is_http_so_the_parser_refuses_it_rather_than_it_passing_as_opaque()
    {
        byte[] endlessMethod = Bytes.Of("PROPFIND" + new string('a', 20_000));
        byte[] emptyLines = Bytes.Of(string.Concat(Enumerable.Repeat("\r\n", 10_000)) + "GET /x HTTP/1.1\r\n");

        Assert.Equal(SniffedProtocol.Http1, ProtocolSniffer.Sniff(endlessMethod));
        Assert.Equal(SniffedProtocol.NeedMoreData, ProtocolSniffer.Sniff(endlessMethod.AsSpan(0, ProtocolSniffer.DefaultMaxBytes - 1)));
        Assert.Equal(SniffedProtocol.Http1, ProtocolSniffer.Sniff(emptyLines));
        Assert.Equal(SniffedProtocol.Http1, ProtocolSniffer.Sniff(Segments.Split(endlessMethod, 5, 100, 9000), maxBytes: 12));
        Assert.Equal(SniffedProtocol.Opaque, ProtocolSniffer.Sniff(Bytes.Of("\u0016\u0003\u0001"), maxBytes: 3));
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
