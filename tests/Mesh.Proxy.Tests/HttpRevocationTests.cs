using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>
/// HTTP is decided per request, but a request already in flight when a snapshot stops allowing it is revoked too: its
/// response may finish within the revocation deadline (then the connection closes), a longer one is reset at the
/// deadline, and an upgraded tunnel is reset at once.
/// </summary>
public abstract class HttpRevocationTests
{
    /// <summary>The transport the proxy under test puts inspected connections on: each test runs on both.</summary>
    protected abstract TcpTransport Transport { get; }

    [Fact]
    public async Task A_response_still_streaming_at_the_revocation_deadline_is_reset_at_the_deadline()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var deadline = TimeSpan.FromMilliseconds(400);
        await using var world = await HttpWorld.StartAsync(Transport, new ProxyOptions { RevocationDeadline = deadline });
        using var connection = await StartTrickleAsync(world, 20_000, ct);

        var revoked = Stopwatch.GetTimestamp();
        await world.Proxy.PublishAsync(Without(world));
        var ending = await ReadUntilEndAsync(connection, ct);
        var took = Stopwatch.GetElapsedTime(revoked);

        Assert.Equal(Net.Ending.Reset, ending);
        Assert.InRange(took, deadline - TimeSpan.FromMilliseconds(50), deadline + TestTime.Dilate(TimeSpan.FromSeconds(1)));
        Assert.Contains("mesh_connections_revoked_total{identity=\"curl/curl\"} 1\n", await world.Proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_that_finishes_within_the_deadline_is_delivered_whole_and_the_connection_then_closes()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport, new ProxyOptions { RevocationDeadline = TimeSpan.FromSeconds(5) });
        using var connection = await StartTrickleAsync(world, 600, ct);

        await world.Proxy.PublishAsync(Without(world));
        var body = Encoding.ASCII.GetString(await connection.Reader.ReadChunkedAsync(ct));
        Assert.StartsWith("tick\n", body, StringComparison.Ordinal);
        Assert.Equal(body.Length / 5, body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // whole chunks only
        await connection.ExpectClosedAsync(ct);
        Assert.Contains("mesh_connections_revoked_total{identity=\"curl/curl\"} 0\n", await world.Proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_that_still_allows_the_request_in_flight_leaves_the_connection_alone()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport, new ProxyOptions { RevocationDeadline = TimeSpan.FromMilliseconds(100) });
        using var connection = await StartTrickleAsync(world, 600, ct);

        // The same rule plus an unrelated one: a new snapshot, and the request is still allowed.
        await world.Proxy.PublishAsync(
            RouteGroup("routes", ("allowed", "/allowed.*"), ("upgrade", "/upgrade")),
            Egress("httpbin", "curl/curl", world.Origin.Port, "http", ["httpbin.org"], routeGroups: ["routes"]),
            Egress("other", "curl/curl", world.Origin.Port + 1, "tcp"));
        await connection.Reader.ReadChunkedAsync(ct);

        await connection.SendAsync(world.Get("/allowed/next"), ct);
        var next = await connection.ReadResponseAsync(ct);
        Assert.Equal(200, next.Status);
        Assert.Equal(HttpOrigin.BodyFor("GET", "/allowed/next", 0), next.BodyText);
    }

    [Fact]
    public async Task An_upgraded_tunnel_is_reset_at_once_when_its_route_is_removed()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport, new ProxyOptions { RevocationDeadline = TimeSpan.FromSeconds(30) });
        using var connection = await world.ConnectAsync(ct);
        await connection.SendAsync(world.Get("/upgrade", "Connection: Upgrade\r\nUpgrade: mesh-echo\r\n"), ct);
        Assert.Equal(101, (await connection.ReadResponseAsync(ct)).Status);
        await connection.SendAsync("ping", ct);
        Assert.Equal("ping", Encoding.ASCII.GetString(await connection.Reader.ReadExactAsync(4, ct)));

        var revoked = Stopwatch.GetTimestamp();
        await world.Proxy.PublishAsync(
            RouteGroup("routes", ("allowed", "/allowed.*")),
            Egress("httpbin", "curl/curl", world.Origin.Port, "http", ["httpbin.org"], routeGroups: ["routes"]));
        using (var withinASecond = Net.Deadline(TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(Net.Ending.Reset, await ReadUntilEndAsync(connection, withinASecond.Token));
        }
        Assert.True(Stopwatch.GetElapsedTime(revoked) < TestTime.Dilate(TimeSpan.FromSeconds(1)));
    }

    /// <summary>Opens a connection whose allowed response trickles in for the given time; returns once its head is in.</summary>
    private static async Task<HttpConnection> StartTrickleAsync(HttpWorld world, int milliseconds, CancellationToken ct)
    {
        var connection = await world.ConnectAsync(ct);
        await connection.SendAsync(world.Get($"/allowed/trickle-{milliseconds}"), ct);
        Assert.NotNull(await connection.Reader.ReadHeadAsync(ct)); // the response is under way
        return connection;
    }

    /// <summary>The world's policy without the <c>/allowed</c> route: the requests in flight there would now get 404.</summary>
    private static string[] Without(HttpWorld world) =>
        [RouteGroup("routes", ("upgrade", "/upgrade")), Egress("httpbin", "curl/curl", world.Origin.Port, "http", ["httpbin.org"], routeGroups: ["routes"])];

    /// <summary>Reads and drops whatever still arrives, until the connection ends; tells how it ended.</summary>
    private static async Task<Net.Ending> ReadUntilEndAsync(HttpConnection connection, CancellationToken ct)
    {
        try
        {
            await connection.Reader.ReadToEndAsync(ct);
            return Net.Ending.Closed;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return Net.Ending.Reset;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return Net.Ending.Reset;
        }
    }
}

/// <summary><see cref="HttpRevocationTests"/> with inspected connections on the epoll transport (the default on Linux x86-64).</summary>
public sealed class HttpRevocationOnEpollTests : HttpRevocationTests
{
    protected override TcpTransport Transport => TcpTransport.Epoll;
}

/// <summary><see cref="HttpRevocationTests"/> with inspected connections on .NET's sockets.</summary>
public sealed class HttpRevocationOnSocketsTests : HttpRevocationTests
{
    protected override TcpTransport Transport => TcpTransport.Sockets;
}
