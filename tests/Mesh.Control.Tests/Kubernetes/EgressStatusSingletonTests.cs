using Akka.Actor;
using Akka.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;
using Mesh.Kubernetes.Catalog;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests.Kubernetes;

/// <summary>
/// The Egress status writer as a cluster singleton (role <c>controller</c>), in real Akka clusters in one process
/// (remoting on loopback, port 0): one writer however many controllers run, idempotent writes, and a hand-over that
/// rewrites nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit calls IAsyncLifetime.DisposeAsync.")]
public sealed class EgressStatusSingletonTests(ITestOutputHelper output) : MeshTestKit(output, ClusterConfig), IAsyncLifetime
{
    private const string ClusterConfig = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.cluster.roles = [controller]
        akka.cluster.singleton.hand-over-retry-interval = 200ms
        """;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly List<ActorSystem> _nodes = [];
    private readonly List<ControlPlane> _controls = [];
    private KubeWorld _world = null!;

    public async Task InitializeAsync() => _world = await KubeWorld.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var control in _controls.Where(c => !c.Terminated.IsCompleted)) await control.StopAsync();
        foreach (var node in _nodes) await node.Terminate();
        await _world.DisposeAsync();
    }

    private async Task<(ControlPlane Control, ControlPlaneMetrics Metrics)> StartControlAsync(ActorSystem node)
    {
        var metrics = new ControlPlaneMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var control = await ControlPlane.StartAsync(node, new ControlPlaneOptions
        {
            Kubernetes = _world.Options(),
            StartupTimeout = Dilated(Bound),
        }, metrics, NullLoggerFactory.Instance);
        _controls.Add(control);
        return (control, metrics);
    }

    private async Task UpAsync(ActorSystem node, Address join, int members)
    {
        AkkaCluster.Get(node).Join(join);
        await AwaitConditionAsync(() => Task.FromResult(AkkaCluster.Get(node).State.Members.Count(m => m.Status == MemberStatus.Up) == members), Dilated(Bound));
    }

    private Task EventuallyAsync(Func<bool> condition) => AwaitConditionAsync(() => Task.FromResult(condition()), Dilated(Bound));

    private string? Reason(string name) => (string?)_world.Condition("curl", name, "Accepted")?["reason"];

    [Fact]
    public async Task In_a_one_node_cluster_the_singleton_writes_each_status_once_and_ignores_changes_that_do_not_alter_it()
    {
        _world.Create(Egress("good", "curl/a", 443));
        _world.Create(Egress("bad", "curl/a", 22, "udp"));
        await UpAsync(Sys, AkkaCluster.Get(Sys).SelfAddress, 1);
        var (_, metrics) = await StartControlAsync(Sys);

        await EventuallyAsync(() => Reason("good") == "Accepted" && Reason("bad") == "Invalid");
        var writer = await Sys.ActorSelection($"/user/{ControlPlane.ActorName}/egress-status/writer").ResolveOne(Dilated(TimeSpan.FromSeconds(3)));
        Assert.NotNull(writer);
        await EventuallyAsync(() => metrics.StatusWrites("written") == 2);
        Assert.Equal(2, _world.StatusPatches); // one patch per object: conditions and record together

        // A change that leaves the verdict alone (a label) writes nothing; the next real change writes once.
        _world.MergePatch(MeshResourceCatalog.OsmEgress, "curl", "good", """{"metadata":{"labels":{"team":"a"}}}""");
        _world.Update(Egress("bad", "curl/a", 22, "tcp-server-first"));
        await EventuallyAsync(() => Reason("bad") == "Accepted");
        await EventuallyAsync(() => metrics.StatusWrites("written") == 3);
        Assert.Equal(3, _world.StatusPatches);
        Assert.Equal(2L, _world.Condition("curl", "bad", "Accepted")!["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public async Task With_two_controllers_only_the_oldest_writes_and_after_it_leaves_the_other_takes_over_without_rewriting()
    {
        _world.Create(Egress("good", "curl/a", 443));
        _world.Create(Egress("bad", "curl/a", 22, "udp"));
        var oldest = ActorSystem.Create(Sys.Name, Sys.Settings.Config);
        _nodes.Add(oldest);
        await UpAsync(oldest, AkkaCluster.Get(oldest).SelfAddress, 1);
        await UpAsync(Sys, AkkaCluster.Get(oldest).SelfAddress, 2);
        var (_, oldMetrics) = await StartControlAsync(oldest);
        var (_, metrics) = await StartControlAsync(Sys);

        await EventuallyAsync(() => Reason("good") == "Accepted" && Reason("bad") == "Invalid");
        await EventuallyAsync(() => oldMetrics.StatusWrites("written") == 2);
        Assert.Equal(0, metrics.StatusWrites("written") + metrics.StatusWrites("unchanged"));
        Assert.Equal(2, _world.StatusPatches);

        var reads = _world.StatusReads;
        await AkkaCluster.Get(oldest).LeaveAsync();
        // The singleton moves here: its watchers list every object with its status, each already as it wants it, so
        // it neither reads an object again nor writes.
        await EventuallyAsync(() => metrics.StatusWrites("current") == 2);
        Assert.Equal(2, _world.StatusPatches);
        Assert.Equal(reads, _world.StatusReads);

        _world.Update(Egress("bad", "curl/a", 22, "tcp-server-first"));
        await EventuallyAsync(() => Reason("bad") == "Accepted");
        Assert.Equal(1, metrics.StatusWrites("written"));
        Assert.Equal(3, _world.StatusPatches);
    }
}
