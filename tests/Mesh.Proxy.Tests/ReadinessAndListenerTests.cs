using System.Net;
using System.Text.Json;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>Fail closed before the first snapshot; the outbound listener open only while something is reachable.</summary>
public sealed class ReadinessAndListenerTests
{
    [Fact]
    public async Task Before_any_snapshot_connections_are_refused_and_not_ready_then_a_snapshot_makes_it_ready_with_a_config_dump()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync();
        var adminPort = Net.FreeLoopbackPort();
        await using var admin = await AdminServer.StartAsync(AdminServer.ForProxy(proxy.Node, proxy.Registry), new IPEndPoint(IPAddress.Loopback, adminPort), ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };

        Assert.False(proxy.Node.IsReady);
        Assert.False(proxy.Node.IsAcceptingOutbound);
        await Net.ExpectRefusedAsync(c => proxy.ConnectAsync(origin.Endpoint, c), ct);
        using (var notReady = await http.GetAsync(new Uri("/ready", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
        using (var noDump = await http.GetAsync(new Uri("/config_dump", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, noDump.StatusCode);
        }

        var snapshot = await proxy.PublishAsync(MeshConfig(enableEgress: true), Egress("echo", "curl/curl", origin.Port, "tcp"));
        Assert.True(proxy.Node.IsReady);

        using (var ready = await http.GetAsync(new Uri("/ready", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains(snapshot.Version, await ready.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        using (var dump = await http.GetAsync(new Uri("/config_dump", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, dump.StatusCode);
            Assert.Equal("application/json", dump.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await dump.Content.ReadAsStringAsync(ct));
            var root = json.RootElement;
            Assert.True(root.GetProperty("Spec").GetProperty("Traffic").GetProperty("EnableEgress").GetBoolean());
            Assert.Equal(snapshot.Version, root.GetProperty("Version").GetString());
            var rule = Assert.Single(root.GetProperty("EgressRules").EnumerateArray());
            Assert.Equal(origin.Port, rule.GetProperty("Port").GetInt32());
            Assert.Equal("tcp", rule.GetProperty("Protocol").GetString());
        }
        using (var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains($"mesh_snapshot_info{{identity=\"curl/curl\",version=\"{snapshot.Version}\"}} 1", await metrics.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        // And the refused listener is now open: traffic flows.
        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        await Net.SendAsync(client, "{ready}", ct);
        Assert.Equal("{ready}", System.Text.Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 7, ct)));
    }

    [Fact]
    public async Task The_listener_is_closed_while_nothing_is_reachable_and_reopens_when_a_rule_appears()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync();

        // A snapshot that reaches nothing: ready, but connections are refused by the kernel (curl exit 7).
        var nothing = await proxy.PublishAsync();
        Assert.False(nothing.CanReachAnything);
        Assert.True(proxy.Node.IsReady);
        Assert.False(proxy.Node.IsAcceptingOutbound);
        await Net.ExpectRefusedAsync(c => proxy.ConnectAsync(origin.Endpoint, c), ct);

        await proxy.PublishAsync(Egress("echo", "curl/curl", origin.Port, "tcp"));
        Assert.True(proxy.Node.IsAcceptingOutbound);
        Assert.Equal(proxy.ProxyEndpoint, Assert.Single(proxy.Node.OutboundEndpoints));
        using (var client = await proxy.ConnectAsync(origin.Endpoint, ct))
        {
            await Net.SendAsync(client, "{there}", ct);
            Assert.Equal("{there}", System.Text.Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 7, ct)));
            var back = System.Text.Encoding.ASCII.GetBytes("{and back again}");
            await Net.SendAsync(client, back, ct);
            Assert.Equal(back, await Net.ReceiveExactAsync(client, back.Length, ct));
        }

        await proxy.PublishAsync();
        Assert.False(proxy.Node.IsAcceptingOutbound);
        await Net.ExpectRefusedAsync(c => proxy.ConnectAsync(origin.Endpoint, c), ct);
        Assert.Equal(1, origin.Accepted);
    }

    [Fact]
    public async Task A_connection_with_no_original_destination_is_closed_without_any_upstream_connection()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(MeshConfig(enableEgress: true));

        // Not redirected (the resolver knows nothing of this client): forwarding would have nowhere to go.
        Assert.Equal(Net.Ending.Reset, await Net.ConnectExpectingEndAsync(c => Net.ConnectDirectAsync(proxy.ProxyEndpoint, c), ct));

        // Redirected to the proxy itself: forwarding would loop.
        Assert.Equal(Net.Ending.Reset, await Net.ConnectExpectingEndAsync(c => proxy.ConnectAsync(proxy.ProxyEndpoint, c), ct));
        Assert.Equal(0, proxy.Node.Metrics.ActiveConnections);
    }
}
