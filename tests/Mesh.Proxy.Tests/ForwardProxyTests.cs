using System.Net;
using System.Text;

using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The explicit forward-proxy listener: CONNECT tunnels and absolute-form requests get the same decisions as
/// redirected connections, with the named host as the destination.
/// </summary>
public sealed class ForwardProxyTests
{
    private static ProxyOptions WithForwardProxy() => new() { ForwardProxyEndpoint = new IPEndPoint(IPAddress.Loopback, 0) };

    private static HttpClient Client(HttpWorld world)
    {
        var proxy = world.Proxy.Node.ForwardProxyEndpoint ?? throw new InvalidOperationException("forward proxy not bound");
        return new HttpClient(new SocketsHttpHandler { Proxy = new WebProxy($"http://{proxy}"), UseProxy = true })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
    }

    [Fact]
    public async Task Absolute_form_requests_are_decided_per_route_like_redirected_ones()
    {
        await using var world = await HttpWorld.StartAsync(WithForwardProxy());
        using var client = Client(world);

        using var allowed = await client.GetAsync(new Uri($"http://{world.Host}/allowed/x"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var denied = await client.GetAsync(new Uri($"http://{world.Host}/denied"));
        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
        Assert.Equal("mesh", denied.Headers.Server.ToString());
        Assert.Single(world.Origin.Requests);
    }

    [Fact]
    public async Task Connect_to_a_destination_the_identity_cannot_reach_is_forbidden_before_any_tunnel()
    {
        await using var world = await HttpWorld.StartAsync(WithForwardProxy());
        using var cts = Net.Deadline();
        using var socket = await Net.ConnectDirectAsync(world.Proxy.Node.ForwardProxyEndpoint!, cts.Token);
        await Net.SendAsync(socket, "CONNECT httpbin.org:9 HTTP/1.1\r\nHost: httpbin.org:9\r\n\r\n", cts.Token);
        var answer = Encoding.ASCII.GetString(await Net.ReceiveToEndAsync(socket, cts.Token));
        Assert.StartsWith("HTTP/1.1 403 Forbidden", answer, StringComparison.Ordinal);
        Assert.Empty(world.Origin.Requests);
        // The decision log is written in the background: wait for the line rather than expect it at once.
        await Eventually.TrueAsync(() => world.Proxy.DecisionLines().Any(l => l.Contains("\"verdict\":\"Forbidden\"", StringComparison.Ordinal) &&
            l.Contains("\"reason\":\"NoRuleForPort\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Connect_opens_a_tunnel_whose_bytes_are_then_sniffed_and_decided()
    {
        await using var world = await HttpWorld.StartAsync(WithForwardProxy());
        using var cts = Net.Deadline();
        var ct = cts.Token;
        using var socket = await Net.ConnectDirectAsync(world.Proxy.Node.ForwardProxyEndpoint!, ct);
        await Net.SendAsync(socket, $"CONNECT {world.Host} HTTP/1.1\r\nHost: {world.Host}\r\n\r\n", ct);
        var established = Encoding.ASCII.GetString(await Net.ReceiveExactAsync(socket, "HTTP/1.1 200 Connection established\r\n\r\n".Length, ct));
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", established);

        // Inside the tunnel: HTTP on a port with http rules, decided request by request.
        var connection = new HttpConnection(socket);
        await connection.SendAsync(world.Get("/denied"), ct);
        Assert.Equal(404, (await connection.ReadResponseAsync(ct)).Status);
        await connection.SendAsync(world.Get("/allowed/y"), ct);
        Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);
        Assert.Single(world.Origin.Requests);
    }

    [Fact]
    public async Task At_the_connection_limit_a_new_client_waits_unanswered_until_a_tunnel_ends()
    {
        await using var world = await HttpWorld.StartAsync(WithForwardProxy() with { MaxConnections = 1 });
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var proxy = world.Proxy.Node.ForwardProxyEndpoint!;
        var connect = $"CONNECT {world.Host} HTTP/1.1\r\nHost: {world.Host}\r\n\r\n";
        const string Established = "HTTP/1.1 200 Connection established\r\n\r\n";
        var first = await Net.ConnectDirectAsync(proxy, ct);
        await Net.SendAsync(first, connect, ct);
        Assert.Equal(Established, Encoding.ASCII.GetString(await Net.ReceiveExactAsync(first, Established.Length, ct)));

        using var second = await Net.ConnectDirectAsync(proxy, ct);
        await Net.SendAsync(second, connect, ct);
        await Task.Delay(TestTime.Dilate(TimeSpan.FromMilliseconds(300))); // silence: not accepted while the tunnel holds the one place
        Assert.Equal(0, second.Available);

        first.Dispose();

        Assert.Equal(Established, Encoding.ASCII.GetString(await Net.ReceiveExactAsync(second, Established.Length, ct)));
    }

    [Theory]
    [InlineData("GET /relative HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")]
    [InlineData("CONNECT httpbin.org HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")]
    [InlineData("GET https://httpbin.org/ HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")]
    public async Task Requests_that_are_not_proxy_requests_get_400(string request)
    {
        await using var world = await HttpWorld.StartAsync(WithForwardProxy());
        using var cts = Net.Deadline();
        using var socket = await Net.ConnectDirectAsync(world.Proxy.Node.ForwardProxyEndpoint!, cts.Token);
        await Net.SendAsync(socket, request, cts.Token);
        var answer = Encoding.ASCII.GetString(await Net.ReceiveToEndAsync(socket, cts.Token));
        Assert.StartsWith("HTTP/1.1 400 Bad Request", answer, StringComparison.Ordinal);
    }
}
