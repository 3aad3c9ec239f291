using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Mesh.Cli.Configuration;
using Mesh.Control;
using Mesh.Proxy.Admin;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Cli.Hosting;

/// <summary>
/// <c>mesh controller</c> inside the host: a member (role <c>controller</c>) of the controller cluster running the control
/// plane, whose snapshot server publishes on DistributedPubSub and is registered with the cluster client receptionist,
/// where proxies find it. Ready once its sources are read and their snapshots published, and it is Up in the cluster.
/// A controller whose actor system ends (downed, or shut down by the cluster) or whose control plane gives up exits with
/// code 1, so that its supervisor (the kubelet) restarts it, instead of staying alive and dead.
/// </summary>
internal sealed class ControllerNode(ControllerSettings settings, ActorSystem system, CollectorRegistry registry, ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime, ExitCode exit) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Mesh.Controller");
    private ControlPlane? _control;
    private AdminServer? _admin;
    private InjectionWebhookHost? _webhook;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        _ = system.WhenTerminated.ContinueWith(_ => Stop("the actor system terminated (downed or removed from the controller cluster)"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var mediator = DistributedPubSub.Get(system).Mediator;
        _control = await ControlPlane.StartAsync(system, settings.Control, new ControlPlaneMetrics(Metrics.WithCustomRegistry(registry)),
            loggerFactory, mediator, cancellationToken);
        _ = _control.Terminated.ContinueWith(_ => Stop("the control plane gave up"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        ClusterClientReceptionist.Get(system).RegisterService(_control.SnapshotServer);

        var control = _control;
        if (settings.Webhook is { } webhook)
        {
            // Before the admin listener: `mesh install` applies the webhook configuration (failure policy Fail) once the
            // controllers are ready, so ready must mean the webhook answers.
            _webhook = await InjectionWebhookHost.StartAsync(webhook, control, loggerFactory, cancellationToken);
        }
        _admin = await AdminServer.StartAsync(new AdminContent(
            () => Readiness(cluster, control),
            () => ConfigDump(cluster, control),
            registry), settings.Admin, cancellationToken);
        var source = settings.Control.Kubernetes is { } kubernetes ? $"the Kubernetes API at {kubernetes.Client.Host}" : settings.Control.ManifestDirectory;
        RunLog.ControllerServing(_logger, cluster.SelfAddress, source, settings.Admin);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_webhook is not null) await _webhook.DisposeAsync();
        if (_admin is not null) await _admin.DisposeAsync();
        _webhook = null;
        _admin = null;
    }

    private void Stop(string reason)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested) return; // stopping anyway: a signal, or the host
        exit.Fail(reason);
        RunLog.ControllerStopping(_logger, reason);
        lifetime.StopApplication();
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task<(bool, string)> Readiness(Akka.Cluster.Cluster cluster, ControlPlane control)
    {
        var status = await control.GetStatusAsync();
        var member = cluster.SelfMember.Status;
        return status.Synced && member == Akka.Cluster.MemberStatus.Up
            ? (true, $"ready: synced, {member} in the controller cluster")
            : (false, $"not ready: {(status.Synced ? "synced" : "sources not read yet")}, {member} in the controller cluster" +
                string.Concat(status.Problems.Select(p => $"\n{p}")));
    }

    private static async Task<string?> ConfigDump(Akka.Cluster.Cluster cluster, ControlPlane control)
    {
        var status = await control.GetStatusAsync();
        var state = cluster.State;
        return JsonSerializer.Serialize(new
        {
            Role = "controller",
            Self = cluster.SelfAddress.ToString(),
            Member = cluster.SelfMember.Status.ToString(),
            Members = state.Members.Select(m => new { Address = m.Address.ToString(), Status = m.Status.ToString(), Roles = m.Roles }),
            Unreachable = state.Unreachable.Select(m => m.Address.ToString()),
            status.Synced,
            Objects = status.Applied?.Objects.Count ?? 0,
            Rejections = status.Validation.Rejections.Select(r => r.ToString()),
            status.Problems,
        }, Indented);
    }
}
