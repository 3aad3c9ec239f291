using System.Buffers;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

public class HttpResponseHeadParserTests
{
    private static (HttpHeadStatus Status, HttpRejectReason Reason, HttpResponseHead Head, long Consumed) Parse(
        ReadOnlySequence<byte> buffer, HttpMethodKind method = HttpMethodKind.Get)
    {
        var head = new HttpResponseHead();
        HttpHeadStatus status = HttpResponseHeadParser.Default.TryParse(buffer, method, head, out SequencePosition consumed, out HttpRejectReason reason);
        return (status, reason, head, buffer.Slice(0, consumed).Length);
    }

    private static (HttpHeadStatus Status, HttpRejectReason Reason, HttpResponseHead Head, long Consumed) Parse(
        string text, HttpMethodKind method = HttpMethodKind.Get) => Parse(new ReadOnlySequence<byte>(Bytes.Of(text)), method);

    private static HttpResponseHead ParseValid(string text, HttpMethodKind method = HttpMethodKind.Get)
    {
        var result = Parse(text, method);
        Assert.True(result.Status == HttpHeadStatus.Complete, $"{result.Status} {result.Reason}");
        return result.Head;
    }

    [Fact]
    public void Parses_a_typical_response()
    {
        string text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n";

        var (status, _, head, consumed) = Parse(text + "hello");

        Assert.Equal(HttpHeadStatus.Complete, status);
        Assert.Equal(text.Length, consumed);
        Assert.Equal(200, head.StatusCode);
        Assert.Equal("OK", Bytes.Text(head.ReasonPhrase));
        Assert.Equal(1, head.MinorVersion);
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(5, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.False(head.IsInterim);
        Assert.False(head.SwitchesToTunnel);
        Assert.Equal("text/plain", head.Headers.GetString("content-type"));
        Assert.Equal(text, head.GetRawString());
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "Get", "ContentLength", 10, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "Get", "Chunked", 0, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "Post", "Chunked", 0, true)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", "Get", "CloseDelimited", 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "Get", "CloseDelimited", 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "Head", "None", 0, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "Head", "None", 0, true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", "Get", "None", 0, true)]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", "Get", "None", 0, true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", "Get", "None", 0, true)]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "Get", "ContentLength", 0, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", "Get", "ContentLength", 3, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n", "Get", "ContentLength", 3, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n", "Get", "ContentLength", 3, true)]
    [InlineData("HTTP/1.1 200 Connection established\r\n\r\n", "Connect", "None", 0, false)]
    [InlineData("HTTP/1.1 407 Proxy Auth\r\nContent-Length: 4\r\n\r\n", "Connect", "ContentLength", 4, true)]
    public void Response_framing(string text, string method, string framing, long length, bool keepAlive)
    {
        HttpResponseHead head = ParseValid(text, Enum.Parse<HttpMethodKind>(method));

        Assert.Equal(Enum.Parse<BodyFraming>(framing), head.Framing);
        Assert.Equal(length, head.ContentLength);
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void Interim_responses_precede_the_final_one()
    {
        byte[] data = Bytes.Of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
        var buffer = new ReadOnlySequence<byte>(data);
        var head = new HttpResponseHead();
        var seen = new List<int>();

        do
        {
            Assert.Equal(HttpHeadStatus.Complete, HttpResponseHeadParser.Default.TryParse(buffer, HttpMethodKind.Post, head, out SequencePosition consumed, out _));
            seen.Add(head.StatusCode);
            Assert.Equal(BodyFraming.None, head.IsInterim ? head.Framing : BodyFraming.None);
            buffer = buffer.Slice(consumed);
        }
        while (head.IsInterim);

        Assert.Equal([100, 103, 201], seen);
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal("ok", Bytes.Text(buffer.ToArray()));
    }

    [Fact]
    public void Switching_protocols_turns_the_connection_into_a_tunnel()
    {
        HttpResponseHead head = ParseValid("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");

        Assert.True(head.SwitchesToTunnel);
        Assert.False(head.IsInterim);
        Assert.True(head.ConnectionUpgrade);
        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.False(head.KeepAlive);
    }

    [Fact]
    public void A_2xx_to_connect_is_a_tunnel_and_other_statuses_are_not()
    {
        Assert.True(ParseValid("HTTP/1.1 200 OK\r\n\r\n", HttpMethodKind.Connect).SwitchesToTunnel);
        Assert.False(ParseValid("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", HttpMethodKind.Get).SwitchesToTunnel);
        Assert.False(ParseValid("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", HttpMethodKind.Connect).SwitchesToTunnel);
    }

    [Theory]
    [InlineData("HTTP/1.1 200\r\n\r\n", 200, "")]
    [InlineData("HTTP/1.1 200 \r\n\r\n", 200, "")]
    [InlineData("HTTP/1.1 599 Whatever you like \t\u00ff\r\n\r\n", 599, "Whatever you like \t\u00ff")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", 100, "Continue")]
    public void Status_lines(string text, int code, string reason)
    {
        HttpResponseHead head = ParseValid(text);

        Assert.Equal(code, head.StatusCode);
        Assert.Equal(reason, Bytes.Text(head.ReasonPhrase));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "ContentLengthWithTransferEncoding")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "InvalidContentLength")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "ConflictingContentLength")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n", "InvalidTransferEncoding")]
    [InlineData("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "TransferEncodingInHttp10")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 600 High\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n", "InvalidStartLine")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n", "InvalidStatusCode")]
    [InlineData("HTTP/1.1 20\r\n\r\n", "InvalidStartLine")]
    [InlineData("HTTP/2 200\r\n\r\n", "InvalidStartLine")]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n", "UnsupportedHttpVersion")]
    [InlineData("ICY 200 OK\r\n\r\n", "InvalidStartLine")]
    [InlineData("HTTP/1.1 200 OK\r\nX: 1\r\n folded\r\n\r\n", "ObsoleteLineFolding")]
    [InlineData("HTTP/1.1 200 OK\r\nX : 1\r\n\r\n", "WhitespaceBeforeColon")]
    [InlineData("HTTP/1.1 200 OK\nX: 1\r\n\r\n", "BareLineFeed")]
    [InlineData("HTTP/1.1 200 OK\r\nX: 1\r2\r\n\r\n", "BareCarriageReturn")]
    public void Rejections(string text, string expected)
    {
        var (status, reason, _, consumed) = Parse(text);

        Assert.Equal(HttpHeadStatus.Rejected, status);
        Assert.Equal(Enum.Parse<HttpRejectReason>(expected), reason);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Invalid_framing_fields_are_ignored_where_there_is_no_body_anyway()
    {
        Assert.Equal(BodyFraming.None, ParseValid("HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n").Framing);
        Assert.Equal(BodyFraming.None, ParseValid("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", HttpMethodKind.Head).Framing);
    }

    [Fact]
    public void Every_strict_prefix_needs_more_data_and_every_split_gives_the_same_head()
    {
        byte[] data = Bytes.Of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=b\r\n\r\n");
        for (int length = 0; length < data.Length; length++)
        {
            Assert.Equal(HttpHeadStatus.NeedMoreData, Parse(new ReadOnlySequence<byte>(data[..length])).Status);
        }

        for (int cut = 1; cut < data.Length; cut++)
        {
            var (status, _, head, consumed) = Parse(Segments.Split(data, cut));
            Assert.Equal(HttpHeadStatus.Complete, status);
            Assert.Equal(data.Length, consumed);
            Assert.Equal(BodyFraming.Chunked, head.Framing);
            Assert.Equal("a=b", head.Headers.GetString("set-cookie"));
        }
    }

    [Fact]
    public void Oversized_response_heads_are_rejected()
    {
        var parser = new HttpResponseHeadParser(new HttpHeadLimits { MaxHeadSize = 64, MaxStartLineLength = 32 });
        var head = new HttpResponseHead();

        Assert.Equal(HttpHeadStatus.Rejected, parser.TryParse(new ReadOnlySequence<byte>(Bytes.Of("HTTP/1.1 200 " + new string('x', 40))), HttpMethodKind.Get, head, out _, out HttpRejectReason reason));
        Assert.Equal(HttpRejectReason.StartLineTooLong, reason);
        Assert.Equal(HttpHeadStatus.Rejected, parser.TryParse(new ReadOnlySequence<byte>(Bytes.Of("HTTP/1.1 200 OK\r\nX: " + new string('x', 60))), HttpMethodKind.Get, head, out _, out reason));
        Assert.Equal(HttpRejectReason.HeadTooLarge, reason);
    }
}
