using Akka.Actor;
using Mesh.Control.Manifests;
using Microsoft.Extensions.Logging;

namespace Mesh.Control;

/// <summary>
/// The control plane as its host sees it: <see cref="StartAsync"/> creates <c>/user/control</c> (see
/// <see cref="ControlPlaneActor"/>) in the given actor system and returns once the manifests have been read and their
/// snapshots published. Proxies watch snapshots at <see cref="SnapshotServer"/>.
/// </summary>
public sealed class ControlPlane
{
    public const string ActorName = "control";

    private readonly IActorRef _root;
    private readonly TimeSpan _askTimeout;

    private ControlPlane(IActorRef root, IActorRef snapshotServer, ControlPlaneMetrics metrics, TimeSpan askTimeout)
    {
        _root = root;
        SnapshotServer = snapshotServer;
        Metrics = metrics;
        _askTimeout = askTimeout;
        Terminated = root.WatchAsync();
    }

    /// <summary>Where proxies send <c>WatchSnapshots</c>.</summary>
    public IActorRef SnapshotServer { get; }

    public ControlPlaneMetrics Metrics { get; }

    /// <summary>Completes when the control plane has stopped: stopped by its host, or given up after repeated failures.</summary>
    public Task Terminated { get; }

    /// <exception cref="DirectoryNotFoundException">The manifest directory does not exist.</exception>
    /// <exception cref="TimeoutException">The first read did not finish within <see cref="ControlPlaneOptions.StartupTimeout"/>.</exception>
    /// <param name="mediator">The cluster's DistributedPubSub mediator when this is one of several controllers; null alone.</param>
    public static async Task<ControlPlane> StartAsync(ActorSystem system, ControlPlaneOptions options, ControlPlaneMetrics metrics,
        ILoggerFactory loggerFactory, IActorRef? mediator = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = new ManifestDirectory(options.ManifestDirectory);
        if (!directory.Exists) throw new DirectoryNotFoundException($"manifest directory '{options.ManifestDirectory}' does not exist");

        var settings = new ManifestWatcherSettings(directory, options.DebounceSettle, options.DebounceMaxDelay, options.RescanInterval, options.Hooks?.BeforeRead);
        var sources = new[] { ManifestWatcher.Source(settings, options.Restarts, metrics, loggerFactory) };
        var root = system.ActorOf(ControlPlaneActor.Props(options, sources, metrics, loggerFactory, mediator), ActorName);
        var stopped = root.WatchAsync(cancellationToken);
        var ready = root.Ask<ControlPlaneReady>(AwaitFirstSync.Instance, options.StartupTimeout, cancellationToken);
        try
        {
            if (await Task.WhenAny(ready, stopped) != ready) throw new InvalidOperationException("The control plane stopped while starting.");
            return new ControlPlane(root, (await ready).SnapshotServer, metrics, options.StartupTimeout);
        }
        catch (AskTimeoutException)
        {
            await root.GracefulStop(options.StartupTimeout);
            throw new TimeoutException($"The manifests in {options.ManifestDirectory} were not read within {options.StartupTimeout}.");
        }
        catch
        {
            await root.GracefulStop(options.StartupTimeout);
            throw;
        }
    }

    /// <summary>The objects in force and the verdict on what the sources read, as the control plane holds them now.</summary>
    public Task<ControlPlaneStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        _root.Ask<ControlPlaneStatus>(GetControlPlaneStatus.Instance, _askTimeout, cancellationToken);

    /// <summary>Stops watching; proxies keep enforcing the snapshot they hold.</summary>
    public Task StopAsync() => _root.GracefulStop(_askTimeout);
}
