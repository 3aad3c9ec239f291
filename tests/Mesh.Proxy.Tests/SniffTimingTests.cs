using System.Diagnostics;
using System.Text;

using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>Silent and slow clients: the sniff timeout, server-first ports, and heads that trickle in.</summary>
public sealed class SniffTimingTests
{
    private static readonly byte[] BannerBytes = Encoding.ASCII.GetBytes("220 origin ready\r\n");

    [Fact]
    public async Task A_silent_client_on_a_tcp_port_becomes_opaque_after_the_sniff_timeout_and_gets_the_server_first_banner()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var sniffTimeout = TimeSpan.FromMilliseconds(300);
        await using var origin = TcpOrigin.Banner(BannerBytes);
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { SniffTimeout = sniffTimeout });
        await proxy.PublishAsync(Egress("smtp", "curl/curl", origin.Port, "tcp"));

        var started = Stopwatch.GetTimestamp();
        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        Assert.Equal(BannerBytes, await Net.ReceiveExactAsync(client, BannerBytes.Length, ct));
        var elapsed = Stopwatch.GetElapsedTime(started);
        // The proxy cannot have connected upstream before its sniff timer fired.
        Assert.True(elapsed >= sniffTimeout - TimeSpan.FromMilliseconds(20), $"banner after {elapsed}, before the sniff timeout");
        Assert.Equal(1, origin.Accepted);

        // The flow is a plain tunnel from here on.
        await Net.SendAsync(client, "HELO me\r\n", ct);
        Assert.Equal("HELO me\r\n", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 9, ct)));
    }

    [Fact]
    public async Task A_tcp_server_first_rule_lets_the_banner_arrive_without_waiting_for_the_sniff_timeout()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Banner(BannerBytes);
        // A sniff timeout longer than the bound below: only a forward on accept can meet it.
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { SniffTimeout = TestTime.Dilate(TimeSpan.FromSeconds(30)) });
        await proxy.PublishAsync(Egress("mysql", "curl/curl", origin.Port, "tcp-server-first"));

        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        using (var beforeSniffTimeout = Net.Deadline(TimeSpan.FromSeconds(3)))
        {
            Assert.Equal(BannerBytes, await Net.ReceiveExactAsync(client, BannerBytes.Length, beforeSniffTimeout.Token));
        }
        await Net.SendAsync(client, "{query}", ct);
        Assert.Equal("{query}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 7, ct)));
        Assert.Contains($"reason=\"ServerFirstRule\",rule=\"Egress curl/mysql port {origin.Port}/tcp-server-first\"",
            await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_head_sent_one_byte_at_a_time_is_still_sniffed_parsed_and_allowed()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync();
        using var connection = await world.ConnectAsync(ct);

        var head = Net.Ascii(world.Get("/allowed/slow", "User-Agent: trickle/1.0\r\n"));
        foreach (var b in head)
        {
            await connection.SendAsync([b], ct);
            await Task.Delay(1, ct); // separate segments (NoDelay): the sniffer and parser see every split
        }
        var response = await connection.ReadResponseAsync(ct);
        Assert.Equal(200, response.Status);
        Assert.Equal(HttpOrigin.BodyFor("GET", "/allowed/slow", 0), response.BodyText);
        Assert.Equal("trickle/1.0", Assert.Single(world.Origin.Requests).Header("user-agent"));
    }
}
