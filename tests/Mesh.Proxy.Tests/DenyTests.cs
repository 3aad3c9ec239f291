using System.Text;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>A denied connection is reset, and never causes an upstream connection.</summary>
public sealed class DenyTests
{
    [Fact]
    public async Task A_port_with_no_rule_is_reset_on_accept_while_another_port_is_reachable_and_its_origin_accepts_nothing()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var denied = TcpOrigin.Echo();
        await using var allowed = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("other", "curl/curl", allowed.Port, "tcp"));
        Assert.True(proxy.Node.IsAcceptingOutbound);

        Assert.Equal(Net.Ending.Reset, await Net.ConnectExpectingEndAsync(c => proxy.ConnectAsync(denied.Endpoint, c), ct));
        await Barriers.AssertOnlyProbeAcceptedAsync(denied, ct);

        // The rule that is there still works.
        using var ok = await proxy.ConnectAsync(allowed.Endpoint, ct);
        await Net.SendAsync(ok, "{fine}", ct);
        Assert.Equal("{fine}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(ok, 6, ct)));
        Assert.Contains("verdict=\"Deny\",reason=\"NoRuleForPort\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opaque_bytes_on_a_port_with_only_http_rules_are_reset_after_sniffing_without_an_upstream_connection()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("web", "curl/curl", origin.Port, "http", ["httpbin.org"]));

        using (var client = await proxy.ConnectAsync(origin.Endpoint, ct))
        {
            await Net.SendAsync(client, "{not http at all}", ct);
            Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(client, ct));
        }
        await Barriers.AssertOnlyProbeAcceptedAsync(origin, ct);
        Assert.Contains("verdict=\"Deny\",reason=\"NoMatchingRule\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }
}
