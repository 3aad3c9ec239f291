using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// Egress-semantics step 4 on the upgrade path: only protocols that are not HTTP are offered upstream, and a connection
/// becomes a tunnel only after a 101 that answers what the forwarded request offered.
/// </summary>
public abstract class ProtocolSwitchTests
{
    /// <summary>The transport the proxy under test puts inspected connections on: each test runs on both.</summary>
    protected abstract TcpTransport Transport { get; }

    [Theory]
    [InlineData("Upgrade: websocket, h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMA\r\n", "websocket")]
    [InlineData("Upgrade: h2c\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n", "websocket")]
    [InlineData("Upgrade: HTTP/2.0, TLS/1.2, websocket, SPDY/3.1\r\nConnection: Upgrade\r\n", "websocket")]
    public async Task Only_the_protocols_that_are_not_http_are_offered_upstream_and_a_101_for_them_is_a_tunnel(string fields, string offered)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/upgrade", fields), ct);
        var response = await connection.ReadResponseAsync(ct);

        Assert.Equal(101, response.Status);
        var request = Assert.Single(world.Origin.Requests);
        Assert.Equal(offered, request.Header("upgrade"));
        Assert.Null(request.Header("http2-settings"));
        Assert.Equal(1, request.Headers.Count(h => h.Key.Equals("upgrade", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain("http2-settings", request.Header("connection") ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Contains("upgrade", request.Header("connection") ?? "", StringComparison.OrdinalIgnoreCase);
        await connection.SendAsync("raw frame", ct);
        Assert.Equal("raw frame", Encoding.ASCII.GetString(await connection.Reader.ReadExactAsync(9, ct)));
    }

    [Fact]
    public async Task Unrelated_fields_survive_a_rewrite_in_order()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/allowed/r", "X-A: 1\r\nConnection: Upgrade, close\r\nUpgrade: h2c\r\nX-B:\t two \r\n"), ct);
        Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);

        var request = Assert.Single(world.Origin.Requests);
        Assert.Equal(["host", "x-a", "connection", "x-b"], request.Headers.Select(h => h.Key.ToLowerInvariant()));
        Assert.Equal("close", request.Header("connection"));
        Assert.Equal("two", request.Header("x-b"));
    }

    [Theory]
    [InlineData("")] // nothing offered
    [InlineData("Connection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMA\r\n")] // offered, and removed on the way
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket\r\n")] // offered something else
    public async Task A_101_switching_to_h2c_that_the_forwarded_request_did_not_offer_is_answered_502_and_never_tunnelled(string fields)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var afterSwitch = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = TcpOrigin.With(async (socket, c) =>
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new WireReader(stream);
            if (await reader.ReadHeadAsync(c) is null) return;
            // A misbehaving origin: switches whatever was asked, and speaks HTTP/2 at once.
            await Net.SendAsync(socket, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n\0\0\0\u0004\0\0\0\0\0", c);
            afterSwitch.TrySetResult((await reader.ReadToEndAsync(c)).Length); // until the proxy closes its side
        });
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(RouteGroup("routes", ("allowed", "/allowed.*")), Egress("httpbin", "curl/curl", origin.Port, "http", ["httpbin.org"], routeGroups: ["routes"]));
        using var connection = new HttpConnection(await proxy.ConnectAsync(origin.Endpoint, ct));

        await connection.SendAsync($"GET /allowed/x HTTP/1.1\r\nHost: httpbin.org:{origin.Port}\r\n{fields}\r\n", ct);
        var response = await connection.ReadResponseAsync(ct);
        Assert.Equal(502, response.Status);
        // The client speaks HTTP/2 anyway: none of it may reach the origin.
        try
        {
            await connection.SendAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", ct);
        }
        catch (SocketException)
        {
            // already closed: fine
        }
        await connection.ExpectClosedAsync(ct);
        Assert.Equal(0, await afterSwitch.Task.WaitAsync(ct));
        Assert.Contains("reason=\"UnrequestedProtocolSwitch\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_on_an_inspected_connection_is_405_and_opens_nothing()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"CONNECT {world.Host} HTTP/1.1\r\nHost: {world.Host}\r\n\r\n", ct);
        Assert.Equal(405, (await connection.ReadResponseAsync(ct)).Status);
        await connection.ExpectClosedAsync(ct);
        await Barriers.AssertOnlyProbeAcceptedAsync(world.Origin, ct);
    }
}

/// <summary><see cref="ProtocolSwitchTests"/> with inspected connections on the epoll transport (the default on Linux x86-64).</summary>
public sealed class ProtocolSwitchOnEpollTests : ProtocolSwitchTests
{
    protected override TcpTransport Transport => TcpTransport.Epoll;
}

/// <summary><see cref="ProtocolSwitchTests"/> with inspected connections on .NET's sockets.</summary>
public sealed class ProtocolSwitchOnSocketsTests : ProtocolSwitchTests
{
    protected override TcpTransport Transport => TcpTransport.Sockets;
}
