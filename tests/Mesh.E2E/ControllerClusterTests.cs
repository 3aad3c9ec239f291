using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// The clustered deployment as separate processes: two `mesh controller` replicas on one manifest directory (a
/// cluster on 127.0.0.1 in the pod) and one `mesh proxy` behind the pod's iptables interception, a client of theirs.
/// The seed demos pass through it; killing a controller with SIGKILL during traffic changes no verdict and the next
/// change still arrives; with both controllers gone the proxy keeps enforcing its last snapshot.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class ControllerClusterTests(TestWorld world)
{
    private const int Limit = 120_000;
    private const string HttpGet = "http://httpbin.org:80/get";
    private static readonly int[] ClusterPorts = [4053, 4054];

    private async Task<(ManifestDirectory Manifests, MeshProcess First, MeshProcess Second, MeshProcess Proxy, DemoSteps Steps)> StartAsync(string proxySettings = "")
    {
        var manifests = world.CreateManifestDirectory();
        var controllers = await Task.WhenAll(
            world.StartControllerAsync(manifests, ClusterPorts[0], 15010, ClusterPorts),
            world.StartControllerAsync(manifests, ClusterPorts[1], 15011, ClusterPorts));
        // Both Up in one cluster: each lists the other as a member.
        foreach (var controller in controllers)
        {
            var dump = await Eventually.UntilAsync(() => controller.AdminGetAsync("/config_dump"),
                r => r.Stdout.Split("\"Status\": \"Up\"").Length - 1 == 2, TimeSpan.FromSeconds(30));
            Assert.True(dump.Stdout.Split("\"Status\": \"Up\"").Length - 1 == 2, $"both controllers should be Up\n{dump}\n{controller.RecentOutput}");
        }
        var proxy = await world.StartProxyAsync(ClusterPorts, settings: proxySettings);
        return (manifests, controllers[0], controllers[1], proxy, new DemoSteps(world, proxy));
    }

    [Fact(Timeout = Limit)]
    public async Task The_seed_demos_pass_through_a_proxy_fed_by_two_controllers()
    {
        var (manifests, first, second, proxy, steps) = await StartAsync();
        await using var _ = first;
        await using var __ = second;
        await using var ___ = proxy;

        await steps.ExpectRefusedAsync("-sI", HttpGet);
        manifests.Apply("002-httpbin-80.yaml", "curl/httpbin-80.yaml");
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);
        DemoSteps.AssertSeen(seen, e => e is { Event: "request", Host: "httpbin.org", Path: "/get" }, "GET /get for httpbin.org");
        await steps.ExpectDecisionAsync(d => d is { Kind: "request", Verdict: "AllowToHost", Path: "/get" }, "the allowed request");

        manifests.Apply("002-httpbin-443.yaml", "curl/httpbin-443.yaml");
        await steps.ExpectStatusAsync("HTTP/2 200", "-sI", "https://httpbin.org:443/get");
        await steps.ExpectResetAsync("-sI", "https://openservicemesh.io:443");

        manifests.Delete("curl/httpbin-80.yaml");
        manifests.Delete("curl/httpbin-443.yaml");
        await steps.ExpectRefusedAsync("-sI", HttpGet);
    }

    [Fact(Timeout = Limit)]
    public async Task Killing_controllers_changes_no_verdict_the_survivor_carries_changes_and_the_proxy_fails_static()
    {
        var (manifests, first, second, proxy, steps) = await StartAsync(proxySettings: "mesh.proxy.rewatch-interval = 1s\n");
        await using var _ = first;
        await using var __ = second;
        await using var ___ = proxy;
        manifests.Apply("002-httpbin-80.yaml", "curl/httpbin-80.yaml");
        await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);

        // Traffic all along, while the first controller is killed: some requests before, some after.
        using var stop = new CancellationTokenSource();
        var results = new System.Collections.Concurrent.ConcurrentQueue<CommandResult>();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) results.Enqueue(await world.PodCurlAsync("-sI", HttpGet));
        });
        int atKill;
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(results.Count), n => n >= 3, TimeSpan.FromSeconds(10));
            await first.KillAsync();
            atKill = results.Count;
            await Eventually.UntilAsync(() => Task.FromResult(results.Count), n => n >= atKill + 5, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await stop.CancelAsync();
            await traffic; // no request of this test may outlive it
        }
        var during = results.ToList();
        Assert.True(during.Count >= atKill + 5 && atKill >= 3, $"{atKill} requests before the kill and {during.Count - atKill} after");
        Assert.All(during, r => Assert.True(r.ExitCode == 0 && r.StatusLine == "HTTP/1.1 200 OK", steps.Explain("a verdict changed when a controller died", r)));

        // The next change arrives through the survivor, and the one after it.
        manifests.Delete("curl/httpbin-80.yaml");
        await steps.ExpectRefusedAsync("-sI", HttpGet);
        manifests.Apply("002-httpbin-80.yaml", "curl/httpbin-80.yaml");
        await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);

        // Both gone: the proxy keeps enforcing what it has, stays ready, and says the controllers are out of reach.
        await second.KillAsync();
        var unreachable = await Eventually.UntilAsync(() => proxy.AdminGetAsync("/metrics"),
            r => r.Stdout.Contains("mesh_controller_reachable{identity=\"curl/curl\"} 0", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("mesh_controller_reachable{identity=\"curl/curl\"} 0", unreachable.Stdout, StringComparison.Ordinal);
        await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);
        var (otherHost, seenOther) = await steps.ExpectStatusAsync("HTTP/1.1 404 Not Found", "-sI", "http://openservicemesh.io:80/get");
        Assert.False(otherHost.HasHeader(HttpHeaders.Origin), steps.Explain("the 404 must come from the proxy", otherHost));
        Assert.DoesNotContain(seenOther, e => e.Event == "request");
        var ready = await proxy.AdminGetAsync("/ready");
        Assert.StartsWith("ready ", ready.Stdout, StringComparison.Ordinal);
        var dump = await proxy.AdminGetAsync("/config_dump");
        Assert.Contains("\"ControllerReachable\": false", dump.Stdout, StringComparison.Ordinal);
        // The gen0 cap and the call-count threshold shipped in mesh.runtimeconfig.json reach the real process
        // (src/Mesh.Cli/Mesh.Cli.csproj).
        Assert.Contains("\"Gen0MaxBudgetBytes\": 8388608", dump.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"TieredCompilationCallCountThreshold\": 2", dump.Stdout, StringComparison.Ordinal);
    }
}
