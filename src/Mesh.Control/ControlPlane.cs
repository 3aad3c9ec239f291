using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Mesh.Control.Manifests;
using Mesh.Control.Sources;
using Mesh.Control.Sources.Kubernetes;
using Mesh.Control.Status;
using Mesh.Kubernetes.Catalog;
using Microsoft.Extensions.Logging;

namespace Mesh.Control;

/// <summary>
/// The control plane as its host sees it: <see cref="StartAsync"/> creates <c>/user/control</c> (see
/// <see cref="ControlPlaneActor"/>) in the given actor system, with its sources: a directory watcher, or on Kubernetes
/// one watcher per kind and the Egress status writer. By default it returns once every source has been read and its
/// snapshots published. Proxies watch snapshots at <see cref="SnapshotServer"/>.
/// </summary>
public sealed class ControlPlane
{
    public const string ActorName = "control";

    private readonly IActorRef _root;
    private readonly TimeSpan _askTimeout;

    private ControlPlane(IActorRef root, IActorRef snapshotServer, ControlPlaneMetrics metrics, TimeSpan askTimeout, Task firstSync, Task terminated)
    {
        _root = root;
        SnapshotServer = snapshotServer;
        Metrics = metrics;
        _askTimeout = askTimeout;
        FirstSync = firstSync;
        Terminated = terminated;
    }

    /// <summary>Where proxies send <c>WatchSnapshots</c>.</summary>
    public IActorRef SnapshotServer { get; }

    public ControlPlaneMetrics Metrics { get; }

    /// <summary>
    /// Completes once every source has been read and its snapshots published (the control plane is ready); faults if
    /// the control plane stopped before. Already complete when <see cref="StartAsync"/> waited for it.
    /// </summary>
    public Task FirstSync { get; }

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
        ArgumentNullException.ThrowIfNull(metrics);
        options.Validate();
        var (sources, statusWriter, release, what) = options.Kubernetes is { } kubernetes
            ? Kubernetes(system, options, kubernetes, metrics, loggerFactory)
            : Directory(options, metrics, loggerFactory);
        IActorRef root;
        try
        {
            root = system.ActorOf(ControlPlaneActor.Props(options, sources, metrics, loggerFactory, mediator, statusWriter), ActorName);
        }
        catch
        {
            release();
            throw;
        }
        var terminated = root.WatchAsync(CancellationToken.None);
        _ = terminated.ContinueWith(_ => release(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        var firstSync = FirstSyncOf(root, terminated);
        try
        {
            var started = await root.Ask<ControlPlaneStarted>(GetSnapshotServer.Instance, options.StartupTimeout, cancellationToken);
            if (options.WaitForFirstSync)
            {
                var within = Task.Delay(options.StartupTimeout, cancellationToken);
                if (await Task.WhenAny(firstSync, within) == within)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new TimeoutException($"{what} were not read within {options.StartupTimeout}.");
                }
                await firstSync;
            }
            return new ControlPlane(root, started.SnapshotServer, metrics, options.StartupTimeout, firstSync, terminated);
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

    private static async Task FirstSyncOf(IActorRef root, Task terminated)
    {
        var ready = root.Ask<ControlPlaneReady>(AwaitFirstSync.Instance, Timeout.InfiniteTimeSpan);
        if (await Task.WhenAny(ready, terminated) != ready) throw new InvalidOperationException("The control plane stopped before it had read its sources.");
        await ready;
    }

    private static (IReadOnlyList<SourceDefinition>, (string, Props)?, Action, string) Directory(ControlPlaneOptions options, ControlPlaneMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        var directory = new ManifestDirectory(options.ManifestDirectory);
        if (!directory.Exists) throw new DirectoryNotFoundException($"manifest directory '{options.ManifestDirectory}' does not exist");
        var settings = new ManifestWatcherSettings(directory, options.DebounceSettle, options.DebounceMaxDelay, options.RescanInterval, options.Hooks?.BeforeRead);
        return ([ManifestWatcher.Source(settings, options.Restarts, metrics, loggerFactory)], null, static () => { }, $"The manifests in {options.ManifestDirectory}");
    }

    /// <summary>
    /// The watchers of every kind, and the status writer: a cluster singleton (role <see cref="KubernetesSourceOptions.StatusRole"/>)
    /// when the actor system is a cluster, else a plain child. One client for all of them, disposed when the control plane stops.
    /// </summary>
    private static (IReadOnlyList<SourceDefinition>, (string, Props)?, Action, string) Kubernetes(ActorSystem system, ControlPlaneOptions options,
        KubernetesSourceOptions kubernetes, ControlPlaneMetrics metrics, ILoggerFactory loggerFactory)
    {
        var client = new k8s.Kubernetes(kubernetes.Client);
        var catalog = new MeshResourceCatalog(kubernetes.MeshName, options.MeshConfigKey);
        var settings = new KubernetesWatchSettings(client, catalog, kubernetes.Reflector, options.Restarts);
        (string, Props)? statusWriter = null;
        if (kubernetes.WriteStatus)
        {
            var writer = EgressStatusWriterActor.Props(settings, kubernetes, metrics, loggerFactory);
            statusWriter = (EgressStatusWriterActor.Name, IsCluster(system)
                ? ClusterSingletonManager.Props(writer, PoisonPill.Instance,
                    ClusterSingletonManagerSettings.Create(system).WithRole(kubernetes.StatusRole).WithSingletonName("writer"))
                : writer);
        }
        return (KubernetesSources.All(settings, metrics, loggerFactory), statusWriter, client.Dispose,
            $"The Kubernetes API's objects at {kubernetes.Client.Host}");
    }

    private static bool IsCluster(ActorSystem system) =>
        system is ExtendedActorSystem extended && extended.Provider is Akka.Cluster.ClusterActorRefProvider;
}
