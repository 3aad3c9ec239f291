using System.Net;
using Akka.Cluster;
using Mesh.Cluster.Tests.Support;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Protocols.Sniffing;
using Mesh.Proxy;
using Mesh.Tests.Shared;
using Xunit.Abstractions;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Cluster.Tests;

/// <summary>
/// Two controllers and several proxies, each an actor system of its own in this process, over real remoting on
/// 127.0.0.1: the controllers a cluster, the proxies its clients. What the issue asks of the cluster, step by step.
/// </summary>
public sealed class ControllerClusterScenarioTests(ITestOutputHelper output) : MeshTestKit(output), IAsyncLifetime
{
    private static readonly NetAddress Somewhere = NetAddress.FromIPAddress(IPAddress.Parse("203.0.113.7"));
    private readonly ClusterWorld _world = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_controller_going_away_changes_no_verdict_the_other_carries_changes_and_it_rejoins()
    {
        _world.Manifests.Write("a.yaml", Egress("a", "curl/a", 443));
        _world.Manifests.Write("b.yaml", Egress("b", "curl/b", 5432, "tcp-server-first"));
        _world.Manifests.Write("c.yaml", Egress("c", "curl/c", 80, "http", hosts: ["httpbin.org"]));
        int p1 = FreePorts.Tcp(), p2 = FreePorts.Tcp();
        var first = await _world.StartControllerAsync(p1, [p1, p2]);
        var second = await _world.StartControllerAsync(p2, [p1, p2]);
        await UpTogetherAsync(first, second);

        var a = await _world.StartProxyAsync("curl/a", [p1, p2]);
        var b = await _world.StartProxyAsync("curl/b", [p1, p2]);
        var c = await _world.StartProxyAsync("curl/c", [p1, p2]);
        await RulesAsync(a.Node, "a:443/tcp");
        await RulesAsync(b.Node, "b:5432/tcp-server-first");
        await RulesAsync(c.Node, "c:80/http");
        // Every controller watches every proxy (the link sends each watch to all of them): wait until both do.
        await AwaitConditionAsync(() => Task.FromResult(WatchersOn(first) == 3 && WatchersOn(second) == 3), TimeSpan.FromSeconds(15));
        var (aBefore, bBefore, cBefore) = (a.Node.Snapshot!, b.Node.Snapshot!, c.Node.Snapshot!);

        await first.DisposeAsync(); // gone without leaving

        Assert.Same(aBefore, a.Node.Snapshot); // fail static: nothing a controller does takes a snapshot away
        Assert.Equal(ConnectionVerdict.Allow, a.Node.Snapshot!.DecideSniffed(Somewhere, 443, SniffedProtocol.Opaque, "").Verdict);
        Assert.Equal(ConnectionVerdict.Allow, b.Node.Snapshot!.DecideOnAccept(Somewhere, 5432).Verdict);

        _world.Manifests.Write("a.yaml", Egress("a", "curl/a", 8443));
        await RulesAsync(a.Node, "a:8443/tcp", TimeSpan.FromSeconds(10));
        Assert.Same(bBefore, b.Node.Snapshot);
        Assert.Same(cBefore, c.Node.Snapshot);

        var back = await _world.StartControllerAsync(p1, [p1, p2]); // the same address, a new incarnation
        await UpTogetherAsync(back, second);
        _world.Manifests.Write("c.yaml", Egress("c", "curl/c", 8080, "http", hosts: ["httpbin.org"]));
        await RulesAsync(c.Node, "c:8080/http", TimeSpan.FromSeconds(10));

        var late = await _world.StartProxyAsync("curl/a", [p1, p2]);
        await RulesAsync(late.Node, "a:8443/tcp");
    }

    [Fact]
    public async Task Each_change_reaches_each_proxy_once_from_the_controller_it_prefers_and_the_other_takes_over_when_that_one_dies()
    {
        _world.Manifests.Write("a.yaml", Egress("a", "curl/a", 443));
        int p1 = FreePorts.Tcp(), p2 = FreePorts.Tcp();
        Controller[] controllers = [await _world.StartControllerAsync(p1, [p1, p2]), await _world.StartControllerAsync(p2, [p1, p2])];
        await UpTogetherAsync(controllers);
        ProxyEnd[] proxies = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _world.StartProxyAsync("curl/a", [p1, p2])))];
        await AwaitConditionAsync(() => Task.FromResult(controllers.All(c => WatchersOn(c) == proxies.Length)), TimeSpan.FromSeconds(15));

        // Until a proxy names the controller it prefers (its next watch, within a second here), both push it; then one.
        var port = 1000;
        double[] Pushes() => [.. controllers.Select(c => c.Metrics.SnapshotsPushedTotal)];
        async Task<double[]> ChangeAsync()
        {
            var before = Pushes();
            _world.Manifests.Write("a.yaml", Egress("a", "curl/a", ++port));
            foreach (var proxy in proxies) await RulesAsync(proxy.Node, $"a:{port}/tcp");
            await AwaitConditionAsync(() => Task.FromResult(Pushes().Sum() - before.Sum() >= proxies.Length), TimeSpan.FromSeconds(5));
            return [.. Pushes().Zip(before, (after, b) => after - b)];
        }
        double[] last = [];
        await AwaitConditionAsync(async () => (last = await ChangeAsync()).Sum() == proxies.Length, TimeSpan.FromSeconds(20));
        for (var i = 0; i < 3; i++)
        {
            last = await ChangeAsync();
            Assert.Equal(proxies.Length, last.Sum()); // one copy per proxy and change, not one per controller
        }

        // The controller more proxies prefer goes away; a change made at once still reaches every proxy (through the
        // other, when the cluster sees it gone or at the proxies' next watch), and from then on the survivor pushes all.
        var gone = last[0] >= last[1] ? 0 : 1;
        await controllers[gone].DisposeAsync();
        _world.Manifests.Write("a.yaml", Egress("a", "curl/a", ++port));
        foreach (var proxy in proxies) await RulesAsync(proxy.Node, $"a:{port}/tcp", TimeSpan.FromSeconds(20));
        var survivor = controllers[1 - gone];
        var pushed = survivor.Metrics.SnapshotsPushedTotal;
        _world.Manifests.Write("a.yaml", Egress("a", "curl/a", ++port));
        foreach (var proxy in proxies) await RulesAsync(proxy.Node, $"a:{port}/tcp", TimeSpan.FromSeconds(20));
        await AwaitConditionAsync(() => Task.FromResult(survivor.Metrics.SnapshotsPushedTotal - pushed >= proxies.Length), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_snapshot_too_large_for_one_remote_message_is_reported_to_both_sides_and_never_half_sent()
    {
        _world.Manifests.Write("a.yaml", Egress("a", "curl/a", 443, hosts: [.. Enumerable.Range(0, 200).Select(i => $"host-{i}.example.com")]));
        var port = FreePorts.Tcp();
        var controller = await _world.StartControllerAsync(port, [port], maxRemoteSnapshotBytes: 2048);
        await UpTogetherAsync(controller);

        var proxy = await _world.StartProxyAsync("curl/a", [port]);

        await AwaitConditionAsync(() => Task.FromResult(controller.Metrics.SnapshotsTooLargeTotal >= 1), TimeSpan.FromSeconds(15));
        await AwaitConditionAsync(async () => (await proxy.Node.Metrics.RenderAsync()).Contains(
            "mesh_snapshots_too_large_total{identity=\"curl/a\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Null(proxy.Node.Snapshot); // fail closed: it never had one
    }

    private static int WatchersOn(Controller controller) =>
        controller.Metrics.WatchersNow;

    private async Task UpTogetherAsync(params Controller[] controllers) =>
        await AwaitConditionAsync(() => Task.FromResult(controllers.All(c =>
            c.Cluster.State.Members.Count(m => m.Status == MemberStatus.Up) == controllers.Length)), TimeSpan.FromSeconds(30));

    private async Task RulesAsync(ProxyNode node, string rules, TimeSpan? within = null) =>
        await AwaitConditionAsync(() => Task.FromResult(node.Snapshot is { } s && Describe(s) == rules), within ?? TimeSpan.FromSeconds(15));

    private static string Describe(Mesh.Policy.Snapshots.EgressSnapshot snapshot) =>
        string.Join(",", snapshot.Rules.Select(r => $"{r.Ref.Policy.Name}:{r.Ref.Port}/{r.Ref.ProtocolName}"));
}
