using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Mesh.Cli.Configuration;
using Mesh.Cluster.Client;
using Mesh.Cluster.Membership;
using Mesh.Control;
using Mesh.Policy.Model;
using Mesh.Proxy;
using Mesh.Proxy.Observability;
using Mesh.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Mesh.Cluster.Tests.Support;

/// <summary>
/// Controllers and proxies as separate actor systems in this test process, over real remoting on 127.0.0.1, configured
/// from the shipped reference.conf exactly as the commands configure them (cluster provider and role for controllers,
/// remote provider and a cluster client for proxies). Controllers share one manifest folder, as two replicas reading
/// one volume would.
/// </summary>
internal sealed class ClusterWorld : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public TempDirectory Manifests { get; } = new();

    /// <summary>The akka section Mesh's reference.conf gives every node, resolved by Mesh.Hocon.</summary>
    private static readonly string AkkaHocon = MeshConfiguration.Build(null, new Dictionary<string, string?>()).AkkaHocon;

    public async Task<Controller> StartControllerAsync(int port, IReadOnlyList<int> seedPorts, long maxRemoteSnapshotBytes = long.MaxValue)
    {
        var seeds = ControllerAddresses.SeedNodes("mesh", [.. seedPorts.Select(p => ("127.0.0.1", p))], ("127.0.0.1", port));
        var system = ActorSystem.Create("mesh", Config($"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.port = {port}
            akka.cluster.seed-nodes = [{string.Join(", ", seeds.Select(s => $"\"{s}\""))}]
            """));
        var metrics = new ControlPlaneMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var control = await ControlPlane.StartAsync(system, new ControlPlaneOptions
        {
            ManifestDirectory = Manifests.Path,
            MaxRemoteSnapshotBytes = maxRemoteSnapshotBytes,
        }, metrics, NullLoggerFactory.Instance, DistributedPubSub.Get(system).Mediator);
        ClusterClientReceptionist.Get(system).RegisterService(control.SnapshotServer);
        var controller = new Controller(system, control, metrics, port);
        _owned.Add(controller);
        return controller;
    }

    public async Task<ProxyEnd> StartProxyAsync(string identity, IReadOnlyList<int> controllerPorts, TimeSpan? rewatch = null)
    {
        var system = ActorSystem.Create("mesh", Config("akka.actor.provider = remote\nakka.remote.dot-netty.tcp.port = 0").WithFallback(ClientSystemDefaults.Config));
        var link = system.ActorOf(ControllerLink.Props([.. controllerPorts.Select(p => ControllerLink.ReceptionistOf("mesh", "127.0.0.1", p))]), ControllerLink.Name);
        var registry = Metrics.NewCustomRegistry();
        var id = ServiceAccountIdentity.Parse(identity);
        var node = await ProxyNode.StartAsync(ProxyNode.CreateRoot(system), id, link,
            new ProxyOptions { RewatchInterval = rewatch ?? TimeSpan.FromSeconds(1) }, new ProxyMetrics(registry, id),
            NullLoggerFactory.Instance, outboundEndpoints: [new IPEndPoint(IPAddress.Loopback, 0)]);
        var proxy = new ProxyEnd(system, node, registry);
        _owned.Add(proxy);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
        Manifests.Dispose();
    }

    private static Config Config(string overrides) =>
        ConfigurationFactory.ParseString(overrides + "\n" + string.Create(CultureInfo.InvariantCulture, $"akka.test.timefactor = {TestTime.Factor}\n"))
            .WithFallback(ConfigurationFactory.ParseString(AkkaHocon));
}

internal sealed record Controller(ActorSystem System, ControlPlane Control, ControlPlaneMetrics Metrics, int Port) : IAsyncDisposable
{
    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    /// <summary>Ends the controller's actor system without leaving the cluster first: to the others, it just went away.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!System.WhenTerminated.IsCompleted) await System.Terminate();
    }
}

internal sealed record ProxyEnd(ActorSystem System, ProxyNode Node, CollectorRegistry Registry) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        await System.Terminate();
    }
}
