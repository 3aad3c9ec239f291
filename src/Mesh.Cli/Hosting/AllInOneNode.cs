using Akka.Actor;
using Mesh.Cli.Configuration;
using Mesh.Control;
using Mesh.Proxy;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Cli.Hosting;

/// <summary>
/// <c>mesh run</c> inside the host: the control plane (directory watcher, aggregator, snapshot server) and a proxy
/// node for one identity in one actor system, the proxy watching snapshots at the in-process snapshot server exactly as
/// it would at a remote one, and the admin listener. Should the control plane give up, the proxy keeps enforcing the
/// snapshot it holds (fail static) and the process keeps serving.
/// </summary>
internal sealed class AllInOneNode(MeshSettings settings, ActorSystem system, CollectorRegistry registry, ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Mesh.Run");
    private ServedProxy? _proxy;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var control = await ControlPlane.StartAsync(system, settings.Control, new ControlPlaneMetrics(Metrics.WithCustomRegistry(registry)),
            loggerFactory, mediator: null, cancellationToken);
        _ = control.Terminated.ContinueWith(_ =>
        {
            if (!lifetime.ApplicationStopping.IsCancellationRequested) RunLog.ControlPlaneStopped(_logger, _proxy?.Node.Snapshot?.Version ?? "none");
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        _proxy = await ServedProxy.StartAsync(system, settings.Identity, control.SnapshotServer, settings.Proxy, settings.DecisionLog, registry,
            loggerFactory, cancellationToken);

        RunLog.Serving(_logger, settings.Identity, settings.Control.ManifestDirectory, settings.Proxy.OutboundPort, settings.Proxy.AdminEndpoint);
        foreach (var rejection in (await control.GetStatusAsync(cancellationToken)).Validation.Rejections) RunLog.Rejected(_logger, rejection);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
        _proxy = null;
    }
}
