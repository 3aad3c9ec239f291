using System.Text;
using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests;

/// <summary>An allowed request answered 101 Switching Protocols turns the connection into a tunnel.</summary>
public abstract class UpgradeTests
{
    /// <summary>The transport the proxy under test puts inspected connections on: each test runs on both.</summary>
    protected abstract TcpTransport Transport { get; }

    [Fact]
    public async Task An_allowed_upgrade_answered_101_carries_raw_bytes_both_ways_afterwards()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/upgrade", "Connection: Upgrade\r\nUpgrade: mesh-echo\r\n"), ct);
        var switching = await connection.ReadResponseAsync(ct);
        Assert.Equal(101, switching.Status);
        Assert.Equal("mesh-echo", switching.Header("upgrade"));

        // Not HTTP any more: bytes that would never parse as a request go through untouched.
        var frames = new[] { "\u0001\u0002binary frame\r\n\r\n", "GARBAGE / HTTP/9\r\n\r\n", new string('z', 50_000) };
        foreach (var frame in frames)
        {
            var bytes = Encoding.Latin1.GetBytes(frame);
            await connection.SendAsync(bytes, ct);
            Assert.Equal(bytes, await connection.Reader.ReadExactAsync(bytes.Length, ct));
        }
        connection.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        await connection.ExpectClosedAsync(ct);
        Assert.Equal(["/upgrade"], world.Origin.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task An_upgrade_request_matching_no_route_gets_404_and_no_tunnel()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/chat", "Connection: Upgrade\r\nUpgrade: websocket\r\n"), ct);
        var response = await connection.ReadResponseAsync(ct);
        Assert.Equal(404, response.Status);
        Assert.Equal("close", response.Header("connection"));
        await connection.ExpectClosedAsync(ct);
        Assert.Empty(world.Origin.Requests);
    }
}

/// <summary><see cref="UpgradeTests"/> with inspected connections on the epoll transport (the default on Linux x86-64).</summary>
public sealed class UpgradeOnEpollTests : UpgradeTests
{
    protected override TcpTransport Transport => TcpTransport.Epoll;
}

/// <summary><see cref="UpgradeTests"/> with inspected connections on .NET's sockets.</summary>
public sealed class UpgradeOnSocketsTests : UpgradeTests
{
    protected override TcpTransport Transport => TcpTransport.Sockets;
}
