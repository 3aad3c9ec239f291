using System.Buffers;
using System.Text;
using Mesh.Protocols.Http;
using Mesh.Proxy.Http;

namespace Mesh.Proxy.Tests;

/// <summary>The request head as it goes upstream, byte for byte: untouched when unambiguous, else rewritten.</summary>
public sealed class ForwardedRequestHeadTests
{
    private static (string Forwarded, string? Offered, bool Rewritten) Forward(string head)
    {
        var request = new HttpRequestHead();
        Assert.Equal(HttpHeadStatus.Complete,
            HttpRequestHeadParser.Default.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(head)), request, out _, out var reason));
        Assert.Equal(HttpRejectReason.None, reason);
        var forwarded = new ForwardedRequestHead();
        forwarded.Prepare(request);
        return (Encoding.Latin1.GetString(forwarded.Bytes.Span), forwarded.OfferedUpgrade, forwarded.Rewritten);
    }

    [Theory]
    [InlineData("GET /a HTTP/1.1\r\nHost: h\r\nX:\t y \r\n\r\n")]
    [InlineData("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n")]
    [InlineData("GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")]
    public void An_unambiguous_head_goes_as_received(string head)
    {
        Assert.Equal((head, false), (Forward(head).Forwarded, Forward(head).Rewritten));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMA\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\n\r\n", null)]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade, HTTP2-Settings\r\nUpgrade: websocket, h2c\r\nHTTP2-Settings: AAMA\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n", "websocket")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\nX: 1\r\nUpgrade: mesh-echo/2, TLS/1.3\r\nConnection: upgrade\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: mesh-echo/2\r\nX: 1\r\nConnection: upgrade\r\n\r\n", "mesh-echo/2")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: h2c\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", null)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked ,\r\nX: 1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nX: 1\r\n\r\n", null)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\nContent-Length: 7\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\n", null)]
    public void An_ambiguous_head_is_rewritten_to_what_was_decided(string head, string expected, string? offered)
    {
        Assert.Equal((expected, offered, true), Forward(head));
    }

    [Theory]
    [InlineData("websocket", "websocket", true)]
    [InlineData("WebSocket", "websocket", true)]
    [InlineData("websocket", "websocket, mesh-echo", true)]
    [InlineData("h2c", "websocket", false)]
    [InlineData("websocket, h2c", "websocket", false)]
    [InlineData("mesh-echo", "websocket", false)]
    [InlineData("", "websocket", false)]
    [InlineData("websocket", null, false)]
    public void A_101_tunnels_only_to_protocols_that_were_offered_and_are_not_http(string switchedTo, string? offered, bool tunnel)
    {
        Assert.Equal(tunnel, UpgradeProtocols.IsAnswerTo(Encoding.ASCII.GetBytes(switchedTo), offered));
    }
}
