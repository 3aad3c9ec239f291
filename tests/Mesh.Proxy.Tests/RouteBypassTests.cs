using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// Issue 14 on loopback: an h2c upgrade must not turn an allowed request into an uninspected HTTP/2 connection, and
/// under passthrough a leading empty line must not make an HTTP request look like opaque TCP.
/// </summary>
public abstract class RouteBypassTests
{
    /// <summary>The transport the proxy under test puts inspected connections on: each test runs on both.</summary>
    protected abstract TcpTransport Transport { get; }

    [Fact]
    public async Task An_h2c_upgrade_request_reaches_the_origin_without_its_upgrade_and_no_101_comes_back()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        // The origin answers any upgrade of /upgrade with 101: only a stripped request gets a plain 200.
        await connection.SendAsync(world.Get("/upgrade",
            "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"), ct);
        var response = await connection.ReadResponseAsync(ct);

        Assert.Equal(200, response.Status);
        var request = Assert.Single(world.Origin.Requests);
        Assert.Null(request.Header("upgrade"));
        Assert.Null(request.Header("http2-settings"));
        Assert.DoesNotContain("upgrade", request.Header("connection") ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Under_passthrough_a_leading_empty_line_before_a_forbidden_request_gets_the_proxy_404_and_never_reaches_the_origin()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var origin = new HttpOrigin();
        await using var _ = origin;
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(MeshConfig(enableEgress: true), RouteGroup("routes", ("allowed", "/allowed.*")),
            Egress("httpbin", "curl/curl", origin.Port, "http", ["httpbin.org"], routeGroups: ["routes"]));

        // Aimed at the origin itself: a flow passed through untouched would reach it.
        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        using var connection = new HttpConnection(client);
        await connection.SendAsync($"\r\nGET /forbidden HTTP/1.1\r\nHost: httpbin.org:{origin.Port}\r\n\r\n", ct);
        var response = await connection.ReadResponseAsync(ct);

        Assert.Equal(404, response.Status);
        Assert.Null(response.Header("x-origin"));
        await Barriers.AssertOnlyProbeAcceptedAsync(origin, ct);
    }
}

/// <summary><see cref="RouteBypassTests"/> with inspected connections on the epoll transport (the default on Linux x86-64).</summary>
public sealed class RouteBypassOnEpollTests : RouteBypassTests
{
    protected override TcpTransport Transport => TcpTransport.Epoll;
}

/// <summary><see cref="RouteBypassTests"/> with inspected connections on .NET's sockets.</summary>
public sealed class RouteBypassOnSocketsTests : RouteBypassTests
{
    protected override TcpTransport Transport => TcpTransport.Sockets;
}
