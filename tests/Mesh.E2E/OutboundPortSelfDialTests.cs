using System.Globalization;
using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// A client that dials the pod's own address at the outbound port, with passthrough on: the proxy forwards it to
/// that address, where its own connection arrives at its listener again, not redirected. That one must be cut off,
/// or every hop makes the next (it used to make thousands per second).
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class OutboundPortSelfDialTests(TestWorld world)
{
    private const int Limit = 30_000;

    [Theory(Timeout = Limit)]
    [InlineData($"http://[{WorldAddresses.Pod6}]:15001/get")]
    [InlineData($"http://{WorldAddresses.Pod}:15001/get")]
    public async Task Proxy_cuts_off_its_own_connection_back_to_the_outbound_port_instead_of_looping(string url)
    {
        var manifests = world.CreateManifestDirectory();
        manifests.Apply("000-mesh-config-egress-on.yaml", "mesh-config.yaml");
        await using var mesh = await world.StartMeshAsync(manifests);

        var get = await world.PodCurlAsync("-sI", "-g", url);
        Assert.True(get.ExitCode is 52 or 56, $"expected an empty reply or a reset (52 or 56)\n{get}\n{mesh.RecentOutput}");

        // Only the client's connection is served; the proxy's own, arriving back at the listener, is cut off (and says so).
        var cutOff = await Eventually.UntilAsync(() => Task.FromResult(mesh.RecentOutput), o => o.Contains("no original destination", StringComparison.Ordinal));
        Assert.True(cutOff.Contains("no original destination", StringComparison.Ordinal), cutOff);
        var metrics = await mesh.AdminGetAsync("/metrics");
        Assert.True(Counter(metrics.Stdout, "mesh_connections_total") == 1, $"{metrics}\n{mesh.RecentOutput}");
    }

    /// <summary>A counter's value (its one series, whatever its labels).</summary>
    private static double Counter(string metrics, string name) =>
        metrics.Split('\n').Where(line => line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .Single();
}
