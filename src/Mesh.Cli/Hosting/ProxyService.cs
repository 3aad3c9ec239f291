using Akka.Actor;
using Mesh.Cli.Configuration;
using Mesh.Cluster.Client;
using Mesh.Cluster.Membership;
using Mesh.Proxy;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Cli.Hosting;

/// <summary>
/// <c>mesh proxy</c> inside the host: a proxy node for one identity, fed from the controller cluster, which it reaches
/// as a cluster client (<see cref="ControllerLink"/>), not as a member. It keeps enforcing its last snapshot while no
/// controller answers (fail static) and stays ready; before its first snapshot it refuses everything (fail closed).
/// </summary>
internal sealed class ProxyService(ProxySettings settings, IReadOnlyList<ActorPath> receptionists, ActorSystem system, CollectorRegistry registry,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Mesh.ProxyNode");
    private ServedProxy? _proxy;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var link = system.ActorOf(ControllerLink.Props(receptionists), ControllerLink.Name);
        _proxy = await ServedProxy.StartAsync(system, settings.Identity, link, settings.Proxy, settings.DecisionLog, registry, loggerFactory,
            cancellationToken);
        RunLog.ProxyServing(_logger, settings.Identity, receptionists, settings.Proxy.OutboundPort, settings.Proxy.AdminEndpoint);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
        _proxy = null;
    }
}
