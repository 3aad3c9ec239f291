using Mesh.Actors;
using Mesh.Control.Aggregation;
using Mesh.Control.Manifests;
using Mesh.Control.Snapshots;
using Mesh.Control.Validation;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging;

namespace Mesh.Control;

/// <summary>
/// The in-process control plane of <c>mesh run</c>: a directory watcher feeding the policy aggregator, which publishes
/// each identity's snapshot on the hub the proxy subscribes to. Started by <see cref="StartAsync"/>, which returns once
/// the manifests have been read and their snapshots published.
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly ActorRef<PolicyAggregatorMessage> _aggregator;
    private readonly ControlPlaneState _state;
    private readonly SnapshotHub _hub;
    private readonly ClusterState _empty;

    private ControlPlane(ActorSystem system, ActorRef<PolicyAggregatorMessage> aggregator, ControlPlaneState state, SnapshotHub hub,
        ControlPlaneCounters counters, ResourceKey meshConfigKey)
    {
        _empty = ClusterState.Create(meshConfigKey);
        _system = system;
        _aggregator = aggregator;
        _state = state;
        _hub = hub;
        Counters = counters;
    }

    /// <summary>Where proxies get their identity's snapshots.</summary>
    public ISnapshotSource Snapshots => _hub;

    /// <summary>The verdict on the manifests as last read: accepted and rejected objects, syntax errors, conflicts.</summary>
    public ValidationReport Validation => _state.Validation;

    public ControlPlaneCounters Counters { get; }

    /// <summary>Completes when the control plane has stopped; faults if an actor gave up (the host should exit).</summary>
    public Task Completion => _system.Completion;

    /// <summary>How many times the aggregator was restarted after a failure (for metrics and tests).</summary>
    internal int AggregatorRestarts => _aggregator.RestartCount;

    internal SnapshotHub Hub => _hub;

    /// <exception cref="DirectoryNotFoundException">The manifest directory does not exist.</exception>
    /// <exception cref="TimeoutException">The first read did not finish within <see cref="ControlPlaneOptions.StartupTimeout"/>.</exception>
    public static async Task<ControlPlane> StartAsync(ControlPlaneOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = new ManifestDirectory(options.ManifestDirectory);
        if (!directory.Exists) throw new DirectoryNotFoundException($"manifest directory '{options.ManifestDirectory}' does not exist");

        var system = new ActorSystem("control", loggerFactory);
        var topics = new LatestValueTopics<ServiceAccountIdentity, EgressSnapshot>();
        var state = new ControlPlaneState();
        var counters = new ControlPlaneCounters();
        var firstSync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new ManifestWatcherSettings(directory, options.DebounceSettle, options.DebounceMaxDelay, options.RescanInterval, options.Hooks?.BeforeRead);
        // Back-pressure instead of drops: a change the watcher could not hand over would be lost until a restart.
        var aggregatorOptions = new ActorOptions { MailboxCapacity = 4096, FullMode = MailboxFullMode.Wait, Supervision = options.Supervision };
        var watcherOptions = new ActorOptions { MailboxCapacity = 8192, Supervision = options.Supervision };
        var aggregator = system.Spawn("policy-aggregator", () => new PolicyAggregator(topics, state, counters, options.MeshConfigKey,
            context => context.Spawn("manifest-watcher", () => new ManifestWatcher(settings, context.Self, state, counters), watcherOptions),
            firstSync, options.Hooks?.BeforeApply), aggregatorOptions);
        var controlPlane = new ControlPlane(system, aggregator, state, new SnapshotHub(topics, aggregator), counters, options.MeshConfigKey);
        try
        {
            var ready = await Task.WhenAny(firstSync.Task, system.Completion).WaitAsync(options.StartupTimeout, cancellationToken);
            await ready; // a faulted system rethrows its cause here
            if (ready != firstSync.Task) throw new InvalidOperationException("The control plane stopped while starting.");
            return controlPlane;
        }
        catch
        {
            await controlPlane.DisposeAsync();
            throw;
        }
    }

    /// <summary>The objects in force as last applied, for <c>explain</c> and diagnostics.</summary>
    public ClusterState CurrentState() => _state.Applied ?? _empty;

    /// <summary>Stops watching and ends every subscription (proxies keep enforcing the snapshot they hold).</summary>
    public async Task StopAsync()
    {
        await _system.StopAsync();
        _hub.Topics.Complete();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
