using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// Opaque TCP under a tcp rule: bytes both ways, bulk transfers intact, half-closes passed on; on the epoll transport
/// (the default) and on .NET's sockets.
/// </summary>
public sealed class TcpForwardingTests
{
    [Theory]
    [InlineData(TcpTransport.Epoll)]
    [InlineData(TcpTransport.Sockets)]
    public async Task A_tcp_rule_carries_bytes_both_ways_across_several_exchanges(TcpTransport transport)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { TcpTransport = transport });
        await proxy.PublishAsync(Egress("echo", "curl/curl", origin.Port, "tcp"));

        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        for (var i = 0; i < 5; i++)
        {
            var message = Encoding.ASCII.GetBytes($"{{message {i}: {new string('x', i * 100)}}}");
            await Net.SendAsync(client, message, ct);
            Assert.Equal(message, await Net.ReceiveExactAsync(client, message.Length, ct));
        }
        Assert.Equal(1, origin.Accepted);
    }

    [Theory]
    [InlineData(TcpTransport.Epoll)]
    [InlineData(TcpTransport.Sockets)]
    public async Task A_multi_megabyte_transfer_arrives_intact_both_ways_and_the_half_close_ends_it(TcpTransport transport)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { TcpTransport = transport });
        await proxy.PublishAsync(Egress("echo", "curl/curl", origin.Port, "tcp"));

        var payload = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        payload[0] = (byte)'{'; // not a TLS record or an HTTP method: opaque at once
        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        var receive = Net.ReceiveToEndAsync(client, ct); // concurrently, or both sides' buffers fill up
        await Net.SendAsync(client, payload, ct);
        client.Shutdown(SocketShutdown.Send);
        var echoed = await receive;

        Assert.Equal(payload.Length, echoed.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
        await Eventually.TrueAsync(() => origin.EndsOfStreamSeen == 1);
        await Eventually.TrueAsync(() => proxy.Node.Metrics.ActiveConnections == 0);
    }

    [Theory]
    [InlineData(TcpTransport.Epoll)]
    [InlineData(TcpTransport.Sockets)]
    public async Task A_client_half_close_reaches_the_origin_which_can_still_answer_before_closing(TcpTransport transport)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var originSawEnd = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Reads everything until end of stream, only then answers with what it counted, then closes.
        await using var origin = TcpOrigin.With(async (socket, c) =>
        {
            var total = 0;
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, c)) > 0) total += read;
            originSawEnd.TrySetResult(total);
            await Net.SendAsync(socket, $"{{got {total} bytes}}", c);
            socket.Shutdown(SocketShutdown.Send);
        });
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { TcpTransport = transport });
        await proxy.PublishAsync(Egress("counter", "curl/curl", origin.Port, "tcp"));

        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        await Net.SendAsync(client, "{twelve byte", ct);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(12, await originSawEnd.Task.WaitAsync(ct));
        Assert.Equal("{got 12 bytes}", Encoding.ASCII.GetString(await Net.ReceiveToEndAsync(client, ct)));
    }
}
