using System.Net.Sockets;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// "The origin accepted no connection" without sleeping: after the denial was observed, the test makes one direct
/// connection of its own and waits until the origin has served it. Origins accept in arrival order from one loop,
/// so a connection the proxy had opened before the denial would have been accepted first; the count must be 1.
/// </summary>
internal static class Barriers
{
    public static async Task AssertOnlyProbeAcceptedAsync(TcpOrigin echoOrigin, CancellationToken ct)
    {
        using (var probe = await Net.ConnectDirectAsync(echoOrigin.Endpoint, ct))
        {
            await Net.SendAsync(probe, "{probe}", ct);
            Assert.Equal("{probe}", System.Text.Encoding.ASCII.GetString(await Net.ReceiveExactAsync(probe, 7, ct)));
        }
        Assert.Equal(1, echoOrigin.Accepted);
    }

    public static async Task AssertOnlyProbeAcceptedAsync(HttpOrigin httpOrigin, CancellationToken ct)
    {
        using (var probe = await Net.ConnectDirectAsync(httpOrigin.Endpoint, ct))
        {
            await Net.SendAsync(probe, $"GET /probe HTTP/1.1\r\nHost: 127.0.0.1:{httpOrigin.Port}\r\n\r\n", ct);
            using var stream = new NetworkStream(probe, ownsSocket: false);
            var response = await new WireReader(stream).ReadResponseAsync(ct);
            Assert.Equal(200, response.Status);
        }
        Assert.Equal(1, httpOrigin.Accepted);
        Assert.Equal(["/probe"], httpOrigin.Requests.Select(r => r.Target));
    }

    public static async Task AssertOnlyProbeAcceptedAsync(TlsOrigin tlsOrigin, string hostName, CancellationToken ct)
    {
        var socket = await Net.ConnectDirectAsync(tlsOrigin.Endpoint, ct);
        await using (var ssl = await tlsOrigin.AuthenticateClientAsync(socket, hostName, ct))
        {
            await ssl.WriteAsync("{probe}"u8.ToArray(), ct);
            var echo = new byte[7];
            await ssl.ReadExactlyAsync(echo, ct);
        }
        Assert.Equal(1, tlsOrigin.Accepted);
        Assert.Equal(1, tlsOrigin.Handshakes);
    }
}
