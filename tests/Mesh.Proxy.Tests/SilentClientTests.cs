using Mesh.Proxy.Tests.Support;
using static Mesh.Proxy.Tests.Support.Policies;

namespace Mesh.Proxy.Tests;

/// <summary>
/// Egress-semantics step 2 on ports with http rules: no sniff timeout turns a silent client into opaque TCP (under
/// passthrough it would then send HTTP nobody inspects); the idle timeout still bounds it; and HTTP/2 prior knowledge
/// there passes only by a tcp rule.
/// </summary>
public sealed class SilentClientTests
{
    private static readonly TimeSpan ShortSniff = TimeSpan.FromMilliseconds(150);

    private static async Task<(HttpOrigin Origin, ProxyHarness Proxy)> StartAsync(ProxyOptions options)
    {
        var origin = new HttpOrigin();
        var proxy = await ProxyHarness.StartAsync(options);
        await proxy.PublishAsync(MeshConfig(enableEgress: true), RouteGroup("routes", ("allowed", "/allowed.*")),
            Egress("httpbin", origin.Port, "http", ["httpbin.org"], "routes"));
        return (origin, proxy);
    }

    [Fact]
    public async Task Under_passthrough_a_client_silent_past_the_sniff_timeout_is_still_inspected_when_it_speaks()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (origin, proxy) = await StartAsync(new ProxyOptions { SniffTimeout = ShortSniff });
        await using var _ = origin;
        await using var __ = proxy;

        // Aimed at the origin itself, so a flow passed through untouched would reach it.
        using var connection = new HttpConnection(await proxy.ConnectAsync(origin.Endpoint, ct));
        await connection.SendAsync("G", ct);
        await Task.Delay(ShortSniff * 4, ct); // the input of this case: silence well past the sniff timeout
        await connection.SendAsync($"ET /forbidden HTTP/1.1\r\nHost: httpbin.org:{origin.Port}\r\n\r\n", ct);

        Assert.Equal(404, (await connection.ReadResponseAsync(ct)).Status);
        await Barriers.AssertOnlyProbeAcceptedAsync(origin, ct);
    }

    [Fact]
    public async Task A_client_that_never_speaks_on_an_http_port_is_closed_at_the_idle_timeout_without_an_upstream_connection()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (origin, proxy) = await StartAsync(new ProxyOptions { SniffTimeout = ShortSniff, IdleTimeout = TimeSpan.FromMilliseconds(600) });
        await using var _ = origin;
        await using var __ = proxy;

        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        Assert.Equal(Net.Ending.Closed, await Net.ExpectEndAsync(client, ct));
        await Barriers.AssertOnlyProbeAcceptedAsync(origin, ct);
        Assert.Contains("reason=\"IdleTimeout\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2_prior_knowledge_on_an_http_port_under_passthrough_is_reset_without_an_upstream_connection()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (origin, proxy) = await StartAsync(new ProxyOptions());
        await using var _ = origin;
        await using var __ = proxy;

        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        // The preface split across two segments: the sniffer waits for all of it.
        await Net.SendAsync(client, "PRI * HTTP/2.0\r\n", ct);
        await Task.Delay(50, ct);
        await Net.SendAsync(client, "\r\nSM\r\n\r\n\0\0\0\u0004\0\0\0\0\0", ct);

        Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(client, ct));
        await Barriers.AssertOnlyProbeAcceptedAsync(origin, ct);
        Assert.Contains("reason=\"NotInspectableOnHttpPort\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }
}
