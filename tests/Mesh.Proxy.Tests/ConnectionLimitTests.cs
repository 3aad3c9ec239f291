using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// <see cref="ProxyOptions.MaxConnections"/>: at the limit the transparent listener stops accepting, so a new client
/// waits in its queue (connected, as TCP goes, but not served) until a held connection ends. On either accept path.
/// The clients' first bytes start with '{', which no HTTP method or TLS record does: sniffed as opaque at once.
/// </summary>
public sealed class ConnectionLimitTests
{
    [Theory]
    [InlineData(TcpTransport.Epoll)]
    [InlineData(TcpTransport.Sockets)]
    public async Task At_its_limit_the_proxy_leaves_a_new_client_queued_and_serves_it_once_a_held_connection_ends(TcpTransport transport)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { TcpTransport = transport, MaxConnections = 2 });
        await proxy.PublishAsync(Egress("echo", "curl/curl", origin.Port, "tcp"));
        using var first = await proxy.ConnectAsync(origin.Endpoint, ct);
        using var second = await proxy.ConnectAsync(origin.Endpoint, ct);
        await EchoAsync(first, "{first}", ct);
        await EchoAsync(second, "{second}", ct);

        using var third = await proxy.ConnectAsync(origin.Endpoint, ct);
        await Net.SendAsync(third, "{third}", ct);

        await Task.Delay(TestTime.Dilate(TimeSpan.FromMilliseconds(300))); // silence: the third is not served meanwhile
        Assert.Equal(2, origin.Accepted);
        Assert.Equal(0, third.Available);
        Assert.Contains(proxy.Logs.Entries, e => e.Message.Contains("holds 2 connections", StringComparison.Ordinal));

        first.Dispose();

        Assert.Equal("{third}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(third, 7, ct)));
        Assert.Equal(3, origin.Accepted);
        await EchoAsync(second, "{second again}", ct);
    }

    private static async Task EchoAsync(Socket client, string text, CancellationToken ct)
    {
        await Net.SendAsync(client, text, ct);
        Assert.Equal(text, Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, text.Length, ct)));
    }
}
