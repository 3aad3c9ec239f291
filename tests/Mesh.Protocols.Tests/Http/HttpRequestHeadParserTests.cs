using System.Buffers;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

public class HttpRequestHeadParserTests
{
    private const string Host = "Host: example.com\r\n";

    private static (HttpHeadStatus Status, HttpRejectReason Reason, HttpRequestHead Head, long Consumed) Parse(
        ReadOnlySequence<byte> buffer, HttpHeadLimits? limits = null)
    {
        var parser = limits is null ? HttpRequestHeadParser.Default : new HttpRequestHeadParser(limits);
        var head = new HttpRequestHead();
        HttpHeadStatus status = parser.TryParse(buffer, head, out SequencePosition consumed, out HttpRejectReason reason);
        return (status, reason, head, buffer.Slice(0, consumed).Length);
    }

    private static (HttpHeadStatus Status, HttpRejectReason Reason, HttpRequestHead Head, long Consumed) Parse(string text, HttpHeadLimits? limits = null) =>
        Parse(new ReadOnlySequence<byte>(Bytes.Of(text)), limits);

    private static HttpRequestHead ParseValid(string text)
    {
        var result = Parse(text);
        Assert.True(result.Status == HttpHeadStatus.Complete, $"{result.Status} {result.Reason}");
        return result.Head;
    }

    [Fact]
    public void Parses_a_typical_request()
    {
        string text = "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: Example.com:8080\r\nUser-Agent:  curl/8.0 \r\nAccept: */*\r\n\r\n";

        var (status, reason, head, consumed) = Parse(text + "next request bytes");

        Assert.Equal(HttpHeadStatus.Complete, status);
        Assert.Equal(HttpRejectReason.None, reason);
        Assert.Equal(text.Length, consumed);
        Assert.Equal(text, head.GetRawString());
        Assert.Equal("GET", head.GetMethodString());
        Assert.Equal(HttpMethodKind.Get, head.MethodKind);
        Assert.Equal("/a/b?x=1&y=2", Bytes.Text(head.Target));
        Assert.Equal(RequestTargetForm.Origin, head.TargetForm);
        Assert.Equal("/a/b", head.GetPathString());
        Assert.Equal("x=1&y=2", Bytes.Text(head.Query));
        Assert.Equal("Example.com:8080", head.GetAuthorityString());
        Assert.Equal(1, head.MinorVersion);
        Assert.Equal(3, head.Headers.Count);
        Assert.Equal("User-Agent", Bytes.Text(head.Headers.GetName(1)));
        Assert.Equal("curl/8.0", Bytes.Text(head.Headers.GetValue(1)));
        Assert.Equal("curl/8.0", head.Headers.GetString("user-agent"));
        Assert.Null(head.Headers.GetString("Cookie"));
        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.True(head.KeepAlive);
        Assert.False(head.IsUpgradeRequest);
        Assert.False(head.ExpectContinue);
    }

    [Theory]
    [InlineData("GET /a/b?x=1 HTTP/1.1", "Origin", "/a/b", "x=1", "example.com", "")]
    [InlineData("GET / HTTP/1.1", "Origin", "/", "", "example.com", "")]
    [InlineData("GET /? HTTP/1.1", "Origin", "/", "", "example.com", "")]
    [InlineData("GET /a?b?c HTTP/1.1", "Origin", "/a", "b?c", "example.com", "")]
    [InlineData("GET /%2e%2e/x HTTP/1.1", "Origin", "/%2e%2e/x", "", "example.com", "")]
    [InlineData("GET http://Other.example:8080/p/q?r HTTP/1.1", "Absolute", "/p/q", "r", "Other.example:8080", "http")]
    [InlineData("GET http://other.example HTTP/1.1", "Absolute", "/", "", "other.example", "http")]
    [InlineData("GET http://[::1]:81/ HTTP/1.1", "Absolute", "/", "", "[::1]:81", "http")]
    [InlineData("CONNECT other.example:443 HTTP/1.1", "Authority", "", "", "other.example:443", "")]
    [InlineData("CONNECT [2001:db8::1]:443 HTTP/1.1", "Authority", "", "", "[2001:db8::1]:443", "")]
    [InlineData("OPTIONS * HTTP/1.1", "Asterisk", "*", "", "example.com", "")]
    public void Request_target_forms(string requestLine, string form, string path, string query, string authority, string scheme)
    {
        // An absolute-form target's Host must be identical to its authority (RFC 9112 §3.2; Mesh refuses a mismatch).
        var host = form == "Absolute" ? $"Host: {authority}\r\n" : Host;
        HttpRequestHead head = ParseValid(requestLine + "\r\n" + host + "\r\n");

        Assert.Equal(Enum.Parse<RequestTargetForm>(form), head.TargetForm);
        Assert.Equal(path, head.GetPathString());
        Assert.Equal(query, Bytes.Text(head.Query));
        Assert.Equal(authority, head.GetAuthorityString());
        Assert.Equal(scheme, Bytes.Text(head.Scheme));
        Assert.Equal(requestLine.Split(' ')[1], Bytes.Text(head.Target));
    }

    [Theory]
    [InlineData("Content-Length: 42\r\n", "ContentLength", 42)]
    [InlineData("Content-Length: 0\r\n", "ContentLength", 0)]
    [InlineData("Content-Length: 007\r\n", "ContentLength", 7)]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n", "ContentLength", 5)]
    [InlineData("Content-Length: 5, 5\r\n", "ContentLength", 5)]
    [InlineData("content-length:9223372036854775807\r\n", "ContentLength", long.MaxValue)]
    [InlineData("Transfer-Encoding: chunked\r\n", "Chunked", 0)]
    [InlineData("Transfer-Encoding: Chunked\r\n", "Chunked", 0)]
    [InlineData("Transfer-Encoding: ,chunked,\r\n", "Chunked", 0)]
    [InlineData("Transfer-Encoding: chunked;x=1\r\n", "Chunked", 0)]
    [InlineData("", "None", 0)]
    public void Body_framing(string fields, string framing, long length)
    {
        HttpRequestHead head = ParseValid("POST /upload HTTP/1.1\r\n" + Host + fields + "\r\n");

        Assert.Equal(Enum.Parse<BodyFraming>(framing), head.Framing);
        Assert.Equal(length, head.ContentLength);
    }

    [Theory]
    // Framing (RFC 9112 §6).
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "ContentLengthWithTransferEncoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n", "ContentLengthWithTransferEncoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", "InvalidContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "ConflictingContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", "ConflictingContentLength")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", "TransferEncodingNotChunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", "InvalidTransferEncoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chu nked\r\n\r\n", "InvalidTransferEncoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", "InvalidTransferEncoding")]
    [InlineData("POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "TransferEncodingInHttp10")]
    // Well framed, but a coding besides chunked: 501 (RFC 9112 §6.1), never left for the origin to guess at.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "UnsupportedTransferCoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", "UnsupportedTransferCoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x;q=1, chunked\r\n\r\n", "UnsupportedTransferCoding")]
    // Names a CGI-style origin reads as the framing fields themselves.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n", "LookalikeFramingField")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\ncontent_length: 5\r\n\r\n", "LookalikeFramingField")]
    // A Connection option would have the next intermediary strip the framing or the host.
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nConnection: keep-alive, Content-Length\r\n\r\n", "HopByHopFramingField")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: transfer-encoding\r\n\r\n", "HopByHopFramingField")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Host\r\n\r\n", "HopByHopFramingField")]
    // Which host a request is for must be beyond doubt (Mesh decides on it).
    [InlineData("GET / HTTP/1.0\r\n\r\n", "MissingHost")]
    [InlineData("GET / HTTP/1.1\r\nHost:\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: httpbin%2Eorg\r\n\r\n", "InvalidHost")]
    [InlineData("GET http://a.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n", "HostMismatchesTarget")]
    [InlineData("GET http://a.example/ HTTP/1.1\r\nHost: a.example:80\r\n\r\n", "HostMismatchesTarget")]
    [InlineData("GET https://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET ftp://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", "InvalidRequestTarget")]
    // Field syntax (RFC 9112 §5, §2.2).
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n continued\r\n\r\n", "ObsoleteLineFolding")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\tcontinued\r\n\r\n", "ObsoleteLineFolding")]
    [InlineData("GET / HTTP/1.1\r\n Host: a\r\n\r\n", "ObsoleteLineFolding")]
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "WhitespaceBeforeColon")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 5\r\n\r\n", "WhitespaceBeforeColon")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r2\r\n\r\n", "BareCarriageReturn")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\r\n\r\n", "BareCarriageReturn")]
    [InlineData("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", "BareCarriageReturn")]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n", "BareLineFeed")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n", "BareLineFeed")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n", "BareLineFeed")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX(A): 1\r\n\r\n", "InvalidHeaderName")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n", "InvalidHeaderName")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", "InvalidHeaderName")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\u00e9: 1\r\n\r\n", "InvalidHeaderName")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n", "InvalidHeaderValue")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n", "InvalidHeaderValue")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u007f\r\n\r\n", "InvalidHeaderValue")]
    // Host (RFC 9112 §3.2).
    [InlineData("GET / HTTP/1.1\r\n\r\n", "MissingHost")]
    [InlineData("GET http://a/ HTTP/1.1\r\n\r\n", "MissingHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", "MultipleHost")]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", "MultipleHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a:\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", "InvalidHost")]
    [InlineData("GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", "InvalidHost")]
    // Request line (RFC 9112 §3).
    [InlineData("G(ET / HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidMethod")]
    [InlineData("G\u00c9T / HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidMethod")]
    [InlineData(" / HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidMethod")]
    [InlineData("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidMethod")]
    [InlineData("GET\r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET /\r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET / http/1.1\r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET / HTTP/1.10\r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET / HTTP/1\r\nHost: a\r\n\r\n", "InvalidStartLine")]
    [InlineData("GET / HTTP/2.0\r\nHost: a\r\n\r\n", "UnsupportedHttpVersion")]
    [InlineData("GET / HTTP/0.9\r\nHost: a\r\n\r\n", "UnsupportedHttpVersion")]
    [InlineData("GET / HTTP/3.1\r\nHost: a\r\n\r\n", "UnsupportedHttpVersion")]
    [InlineData("GET * HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET foo HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET urn:isbn:1 HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET http:// HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET http://user@a/ HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("GET 1http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("CONNECT a HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("CONNECT :443 HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    [InlineData("CONNECT http://a:443 HTTP/1.1\r\nHost: a\r\n\r\n", "InvalidRequestTarget")]
    public void Rejections(string text, string expected)
    {
        var (status, reason, _, consumed) = Parse(text);

        Assert.Equal(HttpHeadStatus.Rejected, status);
        Assert.Equal(Enum.Parse<HttpRejectReason>(expected), reason);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Request_line_longer_than_the_limit_is_rejected_without_waiting_for_its_end()
    {
        var limits = new HttpHeadLimits { MaxStartLineLength = 64 };
        string line = "GET /" + new string('a', 59) + " HTTP/1.1"; // 73 bytes.

        var (status, reason, _, _) = Parse(line, limits);

        Assert.Equal(HttpHeadStatus.Rejected, status);
        Assert.Equal(HttpRejectReason.StartLineTooLong, reason);
        Assert.Equal(414, reason.ToStatusCode());
        Assert.Equal(HttpHeadStatus.NeedMoreData, Parse(line[..65], limits).Status);
        Assert.Equal(HttpHeadStatus.Complete, Parse("GET /" + new string('a', 50) + " HTTP/1.1\r\nHost: a\r\n\r\n", limits).Status);
    }

    [Fact]
    public void Head_larger_than_the_limit_is_rejected_as_431()
    {
        var limits = new HttpHeadLimits { MaxHeadSize = 100 };
        string head = "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('b', 68) + "\r\n\r\n";
        Assert.Equal(100, head.Length);

        Assert.Equal(HttpHeadStatus.Complete, Parse(head, limits).Status);
        string tooBig = "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('b', 69) + "\r\n\r\n";
        var (status, reason, _, _) = Parse(tooBig, limits);
        Assert.Equal(HttpHeadStatus.Rejected, status);
        Assert.Equal(HttpRejectReason.HeadTooLarge, reason);
        Assert.Equal(431, reason.ToStatusCode());
    }

    [Fact]
    public void Default_head_limit_is_16_KiB_and_an_endless_field_is_cut_off_there()
    {
        string start = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        string exactly = start + new string('b', (16 * 1024) - start.Length - 4) + "\r\n\r\n";
        Assert.Equal(16 * 1024, exactly.Length);

        Assert.Equal(HttpHeadStatus.Complete, Parse(exactly).Status);
        Assert.Equal(HttpRejectReason.HeadTooLarge, Parse(start + new string('b', 20_000)).Reason);
        Assert.Equal(HttpHeadStatus.NeedMoreData, Parse(start + new string('b', (16 * 1024) - start.Length - 1)).Status);
    }

    [Fact]
    public void More_than_the_maximum_number_of_fields_is_rejected()
    {
        string fields = string.Concat(Enumerable.Range(0, 99).Select(i => $"X-{i}: {i}\r\n"));

        Assert.Equal(HttpHeadStatus.Complete, Parse("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n").Status);
        var (status, reason, _, _) = Parse("GET / HTTP/1.1\r\nHost: a\r\nX-Extra: 1\r\n" + fields + "\r\n");
        Assert.Equal(HttpHeadStatus.Rejected, status);
        Assert.Equal(HttpRejectReason.TooManyHeaders, reason);
        Assert.Equal(HttpRejectReason.TooManyHeaders, Parse("GET / HTTP/1.1\r\nHost: a\r\nB: 1\r\n\r\n", new HttpHeadLimits { MaxHeaderCount = 1 }).Reason);
    }

    [Theory]
    [InlineData("HTTP/1.1", "", true)]
    [InlineData("HTTP/1.1", "Connection: close\r\n", false)]
    [InlineData("HTTP/1.1", "Connection: Keep-Alive, CLOSE\r\n", false)]
    [InlineData("HTTP/1.0", "", false)]
    [InlineData("HTTP/1.0", "Connection: keep-alive\r\n", true)]
    [InlineData("HTTP/1.0", "Connection: x, keep-alive\r\nConnection: y\r\n", true)]
    public void Persistence(string version, string fields, bool keepAlive)
    {
        HttpRequestHead head = ParseValid($"GET / {version}\r\nHost: a\r\n{fields}\r\n");

        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void Http10_without_host_is_accepted_only_with_an_absolute_form_target_that_names_the_host()
    {
        HttpRequestHead head = ParseValid("GET http://a.example/x HTTP/1.0\r\n\r\n");

        Assert.Equal(0, head.MinorVersion);
        Assert.Equal("a.example", head.GetAuthorityString());
        Assert.Equal(HttpRejectReason.MissingHost, Parse("GET /x HTTP/1.0\r\n\r\n").Reason);
    }

    [Fact]
    public void Absolute_form_host_comparison_ignores_case()
    {
        Assert.Equal("A.Example", ParseValid("GET http://A.Example/ HTTP/1.1\r\nHost: a.example\r\n\r\n").GetAuthorityString());
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\n", false)]
    [InlineData("transfer-encoding: chunked\r\n", false)]
    [InlineData("Content-Length: 5\r\n", false)]
    [InlineData("Content-Length: 0\r\n", false)]
    [InlineData("", false)]
    [InlineData("Transfer-Encoding: Chunked\r\n", true)]
    [InlineData("Transfer-Encoding:chunked\r\n", true)]
    [InlineData("Transfer-Encoding:\tchunked\r\n", true)]
    [InlineData("Transfer-Encoding:  chunked\r\n", true)]
    [InlineData("Transfer-Encoding: chunked \r\n", true)]
    [InlineData("Transfer-Encoding: chunked ,\r\n", true)]
    [InlineData("Transfer-Encoding: ,chunked\r\n", true)]
    [InlineData("Transfer-Encoding: \r\nTransfer-Encoding: chunked\r\n", true)]
    [InlineData("Content-Length: 05\r\n", true)]
    [InlineData("Content-Length: 5, 5\r\n", true)]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n", true)]
    [InlineData("Content-Length:\t5\r\n", true)]
    public void Framing_spelled_other_than_one_plain_line_is_flagged_for_a_canonical_rewrite(string fields, bool flagged)
    {
        Assert.Equal(flagged, ParseValid("POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n").NeedsCanonicalFraming);
    }

    [Theory]
    [InlineData("Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n", true, 1)]
    [InlineData("Connection: Upgrade, http2-settings\r\n", true, 0)]
    [InlineData("Connection: H2C\r\n", true, 0)]
    [InlineData("Upgrade: websocket\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n", false, 2)]
    [InlineData("", false, 0)]
    public void Http2_settings_and_upgrade_lines_are_noted(string fields, bool mentionsHttp2, int upgradeLines)
    {
        HttpRequestHead head = ParseValid("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n");

        Assert.Equal(mentionsHttp2, head.MentionsHttp2);
        Assert.Equal(upgradeLines, head.UpgradeLines);
    }

    [Fact]
    public void Upgrade_and_expect_are_recognized()
    {
        HttpRequestHead head = ParseValid(
            "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nExpect: 100-Continue\r\n\r\n");

        Assert.True(head.IsUpgradeRequest);
        Assert.Equal("websocket", Bytes.Text(head.Upgrade));
        Assert.True(head.ExpectContinue);
        Assert.False(ParseValid("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n").IsUpgradeRequest);
    }

    [Fact]
    public void Field_lookups_are_case_insensitive_and_values_are_trimmed()
    {
        HttpRequestHead head = ParseValid("GET / HTTP/1.1\r\nhOsT: \t a.example \t\r\nX-Empty:\r\nx-two: 1\r\nX-Two: 2\r\n\r\n");

        Assert.True(head.Headers.TryGetValue("HOST"u8, out ReadOnlySpan<byte> host));
        Assert.Equal("a.example", Bytes.Text(host));
        Assert.Equal("a.example", head.GetAuthorityString());
        Assert.Equal("", head.Headers.GetString("x-empty"));
        Assert.Equal("1", head.Headers.GetString("X-TWO"));
        Assert.Equal(2, head.Headers.CountOf("x-two"u8));
        Assert.False(head.Headers.TryGetValue("X-Three", out _));
    }

    [Fact]
    public void Leading_empty_lines_are_skipped_but_consumed()
    {
        var (status, _, head, consumed) = Parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(HttpHeadStatus.Complete, status);
        Assert.Equal(31, consumed);
        Assert.StartsWith("GET /", head.GetRawString(), StringComparison.Ordinal);
        Assert.Equal(HttpHeadStatus.NeedMoreData, Parse("\r\n\r").Status);
    }

    [Fact]
    public void Pipelined_requests_are_parsed_one_after_another()
    {
        byte[] data = Bytes.Of("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\nGET /3");
        var buffer = new ReadOnlySequence<byte>(data);
        var head = new HttpRequestHead();
        var paths = new List<string>();

        while (HttpRequestHeadParser.Default.TryParse(buffer, head, out SequencePosition consumed, out _) == HttpHeadStatus.Complete)
        {
            paths.Add(head.GetPathString() + "@" + head.GetAuthorityString());
            buffer = buffer.Slice(consumed);
        }

        Assert.Equal(["/1@a", "/2@b"], paths);
        Assert.Equal("GET /3", Bytes.Text(buffer.ToArray()));
    }

    [Fact]
    public void A_reused_head_forgets_the_previous_request()
    {
        var head = new HttpRequestHead();
        var first = new ReadOnlySequence<byte>(Bytes.Of("POST /long/path?q HTTP/1.1\r\nHost: first\r\nContent-Length: 3\r\nA: 1\r\nB: 2\r\n\r\n"));
        var second = new ReadOnlySequence<byte>(Bytes.Of("GET / HTTP/1.0\r\nHost: second\r\n\r\n"));

        Assert.Equal(HttpHeadStatus.Complete, HttpRequestHeadParser.Default.TryParse(first, head, out _, out _));
        Assert.Equal(HttpHeadStatus.Complete, HttpRequestHeadParser.Default.TryParse(second, head, out _, out _));

        Assert.Equal(1, head.Headers.Count);
        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.Equal("/", head.GetPathString());
        Assert.Equal("second", Bytes.Text(head.Host));
        Assert.False(head.NeedsCanonicalFraming);
        Assert.False(head.KeepAlive);
    }

    [Fact]
    public void Every_strict_prefix_needs_more_data_and_every_split_gives_the_same_head()
    {
        byte[] data = Bytes.Of("POST http://a.example/x?y HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
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
            Assert.Equal("/x", head.GetPathString());
            Assert.Equal("a.example", head.GetAuthorityString());
            Assert.Equal(Bytes.Text(data), head.GetRawString());
            Assert.False(head.KeepAlive);
        }

        Assert.Equal(HttpHeadStatus.Complete, Parse(Segments.SingleBytes(data)).Status);
    }

    [Fact]
    public void Garbage_is_rejected_as_soon_as_its_first_line_ends()
    {
        var (status, reason, _, _) = Parse("\u0016\u0003\u0001\u0002\u0000\u0001\r\n");

        Assert.Equal(HttpHeadStatus.Rejected, status);
        Assert.Equal(HttpRejectReason.InvalidStartLine, reason);
    }

    [Theory]
    [InlineData("InvalidContentLength", 400)]
    [InlineData("TransferEncodingNotChunked", 400)]
    [InlineData("MissingHost", 400)]
    [InlineData("StartLineTooLong", 414)]
    [InlineData("HeadTooLarge", 431)]
    [InlineData("TooManyHeaders", 431)]
    [InlineData("UnsupportedHttpVersion", 505)]
    public void Rejections_map_to_status_codes(string reason, int statusCode)
    {
        Assert.Equal(statusCode, Enum.Parse<HttpRejectReason>(reason).ToStatusCode());
    }
}
