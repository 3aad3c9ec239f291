using System.Diagnostics;
using System.Text;

using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>A new snapshot applies to live flows: one it no longer allows is closed at once, the others carry on.</summary>
public sealed class RevocationTests
{
    [Theory]
    [InlineData(TcpTransport.Epoll)]
    [InlineData(TcpTransport.Sockets)]
    public async Task An_open_tcp_flow_is_closed_within_a_second_of_a_snapshot_removing_its_rule_and_an_unaffected_flow_stays_open(TcpTransport transport)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var revokedOrigin = TcpOrigin.Echo();
        await using var keptOrigin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { TcpTransport = transport });
        await proxy.PublishAsync(Egress("revoked", "curl/curl", revokedOrigin.Port, "tcp"), Egress("kept", "curl/curl", keptOrigin.Port, "tcp"));

        using var revoked = await proxy.ConnectAsync(revokedOrigin.Endpoint, ct);
        using var kept = await proxy.ConnectAsync(keptOrigin.Endpoint, ct);
        foreach (var client in new[] { revoked, kept })
        {
            await Net.SendAsync(client, "{before}", ct);
            Assert.Equal("{before}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 8, ct)));
        }

        var started = Stopwatch.GetTimestamp();
        await proxy.PublishAsync(Egress("kept", "curl/curl", keptOrigin.Port, "tcp"));
        using (var withinASecond = Net.Deadline(TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(revoked, withinASecond.Token));
        }
        Assert.True(Stopwatch.GetElapsedTime(started) < TestTime.Dilate(TimeSpan.FromSeconds(1)));

        await Net.SendAsync(kept, "{after}", ct);
        Assert.Equal("{after}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(kept, 7, ct)));
        Assert.True(proxy.Node.IsAcceptingOutbound);
        Assert.Contains("mesh_connections_revoked_total{identity=\"curl/curl\"} 1\n", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);

        // A further snapshot that still allows the kept flow leaves it alone.
        await proxy.PublishAsync(Egress("kept", "curl/curl", keptOrigin.Port, "tcp"), Egress("new", "curl/curl", revokedOrigin.Port + 1, "tcp"));
        await Net.SendAsync(kept, "{later}", ct);
        Assert.Equal("{later}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(kept, 7, ct)));
    }

    [Fact]
    public async Task An_open_tls_flow_is_closed_when_its_host_is_removed_from_the_https_rule()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = new TlsOrigin("secure.example");
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("secure", "curl/curl", origin.Port, "https", ["secure.example"]));

        var socket = await proxy.ConnectAsync(origin.Endpoint, ct);
        await using var ssl = await origin.AuthenticateClientAsync(socket, "secure.example", ct);
        await ssl.WriteAsync("ping"u8.ToArray(), ct);
        await ssl.ReadExactlyAsync(new byte[4], ct);

        await proxy.PublishAsync(Egress("secure", "curl/curl", origin.Port, "https", ["other.example"]));
        using var withinASecond = Net.Deadline(TimeSpan.FromSeconds(1));
        var ended = await Record.ExceptionAsync(async () =>
        {
            var read = await ssl.ReadAsync(new byte[16], withinASecond.Token);
            Assert.Equal(0, read);
        });
        Assert.True(ended is null or IOException, $"expected the flow to end, got {ended}");
    }

    [Fact]
    public async Task A_flow_allowed_by_a_tcp_server_first_rule_stays_open_when_the_port_gets_a_plain_tcp_rule_instead()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Banner(Encoding.ASCII.GetBytes("hello\n"));
        await using var other = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(Egress("db", "curl/curl", origin.Port, "tcp-server-first"));

        using var client = await proxy.ConnectAsync(origin.Endpoint, ct);
        Assert.Equal("hello\n", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 6, ct)));

        // Opaque TCP to this port is still allowed, only no longer without sniffing.
        await proxy.PublishAsync(Egress("db", "curl/curl", origin.Port, "tcp"));
        // A flow on another port, opened and used after the snapshot, orders the check below after any revocation.
        await proxy.PublishAsync(Egress("db", "curl/curl", origin.Port, "tcp"), Egress("other", "curl/curl", other.Port, "tcp"));
        using (var probe = await proxy.ConnectAsync(other.Endpoint, ct))
        {
            await Net.SendAsync(probe, "{p}", ct);
            await Net.ReceiveExactAsync(probe, 3, ct);
        }
        await Net.SendAsync(client, "{still here}", ct);
        Assert.Equal("{still here}", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 12, ct)));
        Assert.Contains("mesh_connections_revoked_total{identity=\"curl/curl\"} 0\n", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// On .NET's sockets the flow is re-checked once its connect completes; on the epoll transport it is a flow from the
    /// start of its connect, and the revocation aborts the connect. Either way it ends as revoked.
    /// </summary>
    [Theory]
    [InlineData(TcpTransport.Epoll)]
    [InlineData(TcpTransport.Sockets)]
    public async Task A_flow_revoked_while_the_proxy_is_still_connecting_upstream_is_reset_as_revoked(TcpTransport transport)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        // An origin whose accept queue is full: the kernel drops the proxy's SYN, so its connect waits for the
        // retransmission (about 1 s). The snapshot revoking the flow lands in that window.
        using var slow = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        slow.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        slow.Listen(0);
        var slowEndpoint = (System.Net.IPEndPoint)slow.LocalEndPoint!;
        var fillers = new List<System.Net.Sockets.Socket>();
        try
        {
            while (true)
            {
                Assert.True(fillers.Count < 64, "the accept queue never filled up");
                var filler = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    await filler.ConnectAsync(slowEndpoint, quick.Token);
                    fillers.Add(filler);
                }
                catch (OperationCanceledException)
                {
                    filler.Dispose();
                    break; // full: further SYNs are dropped
                }
            }

            await using var other = TcpOrigin.Echo();
            await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { TcpTransport = transport });
            var rule = $"Egress curl/slow port {slowEndpoint.Port}/tcp";
            await proxy.PublishAsync(Egress("slow", "curl/curl", slowEndpoint.Port, "tcp"), Egress("other", "curl/curl", other.Port, "tcp"));
            using var client = await proxy.ConnectAsync(slowEndpoint, ct);
            await Net.SendAsync(client, "{x}", ct);
            await Eventually.TrueAsync(async () => (await proxy.Node.Metrics.RenderAsync()).Contains(rule, StringComparison.Ordinal));

            await proxy.PublishAsync(Egress("other", "curl/curl", other.Port, "tcp"));
            // Free the queue: the proxy's retransmitted SYN now completes its connect, after the revocation.
            foreach (var filler in fillers) filler.Dispose();
            var accepted = new List<System.Net.Sockets.Socket>();
            var acceptLoop = Task.Run(async () =>
            {
                try
                {
                    while (true) accepted.Add(await slow.AcceptAsync(ct));
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None); // not ct: a revocation that wins the race would cancel it before it starts

            using (var bound = Net.Deadline(TimeSpan.FromSeconds(4)))
            {
                Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(client, bound.Token));
            }
            // Closed as a revocation of a connected flow, not as an upstream that could not be reached.
            Assert.Contains("mesh_connections_revoked_total{identity=\"curl/curl\"} 1\n", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
            await cts.CancelAsync();
            await acceptLoop;
            foreach (var socket in accepted) socket.Dispose();
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }
}
