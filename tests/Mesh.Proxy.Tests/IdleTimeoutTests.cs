using System.Text;
using Mesh.Proxy;
using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task A_flow_with_no_bytes_for_the_idle_timeout_is_closed_while_a_busy_one_stays_open()
    {
        using var cts = Net.Deadline(TimeSpan.FromSeconds(15));
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        await using var proxy = await ProxyHarness.StartAsync(new ProxyOptions { IdleTimeout = TimeSpan.FromSeconds(2), SniffTimeout = TimeSpan.FromMilliseconds(50) });
        await proxy.PublishAsync(Egress("echo", "curl/curl", origin.Port, "tcp"));

        using var quiet = await proxy.ConnectAsync(origin.Endpoint, ct);
        using var busy = await proxy.ConnectAsync(origin.Endpoint, ct);
        foreach (var client in new[] { quiet, busy })
        {
            await Net.SendAsync(client, "hi", ct);
            Assert.Equal("hi", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(client, 2, ct)));
        }

        // Keep one flow busy (a byte every 100 ms, far inside the limit even on a loaded machine) until the other, which
        // says nothing, has been closed: the wait is on that end, bounded by the test's deadline, not a fixed number of rounds.
        var quietEnded = Net.ExpectEndAsync(quiet, ct);
        while (!quietEnded.IsCompleted)
        {
            await Net.SendAsync(busy, "x", ct);
            Assert.Equal("x", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(busy, 1, ct)));
            await Task.WhenAny(quietEnded, Task.Delay(100, ct));
        }
        Assert.Equal(Net.Ending.Closed, await quietEnded);
        // The busy flow outlived the quiet one's idle timeout, and is open still.
        await Net.SendAsync(busy, "y", ct);
        Assert.Equal("y", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(busy, 1, ct)));
        Assert.Contains("reason=\"IdleTimeout\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }
}
