using Mesh.Control.Sources.Kubernetes;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Control;

/// <summary>
/// What the control plane watches (a directory of manifests, or the Kubernetes API: exactly one) and how it recovers
/// from failures (hocon: <c>mesh.control</c>).
/// </summary>
public sealed record ControlPlaneOptions
{
    /// <summary>
    /// The folder of manifests (*.yaml, *.yml, *.json, subfolders included; dotfiles and editor temporaries ignored).
    /// Empty when <see cref="Kubernetes"/> is set.
    /// </summary>
    public string ManifestDirectory { get; init; } = "";

    /// <summary>
    /// Watch the Kubernetes API instead of a directory: one watcher per kind (Egress in both groups, HTTPRouteGroup, the
    /// MeshConfig, enrolled namespaces), and the Egress status writer. Null: read <see cref="ManifestDirectory"/>.
    /// </summary>
    public KubernetesSourceOptions? Kubernetes { get; init; }

    /// <summary>
    /// Whether <see cref="ControlPlane.StartAsync"/> waits (up to <see cref="StartupTimeout"/>) until every source has
    /// been read and published. A controller that should stay up and report itself not ready meanwhile (an API server
    /// that refuses it, say) sets false and watches <see cref="ControlPlane.FirstSync"/>.
    /// </summary>
    public bool WaitForFirstSync { get; init; } = true;

    /// <summary>The one MeshConfig that counts.</summary>
    public ResourceKey MeshConfigKey { get; init; } = ClusterState.DefaultMeshConfigKey;

    /// <summary>Quiet time after the last file event before the files are read (editors write in several steps).</summary>
    public TimeSpan DebounceSettle { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest delay a continuous burst of events may impose on reading the files.</summary>
    public TimeSpan DebounceMaxDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Period of the full rescan that catches what inotify lost.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <see cref="ControlPlane.StartAsync"/> waits for the first complete read of the manifests.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest snapshot that may be sent to a proxy in another process: one remote message carries at most
    /// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c>, and a larger one would be dropped with only a log line on the
    /// sender. A snapshot over this is reported (error, metric, and a notice to the proxy) instead.
    /// </summary>
    public long MaxRemoteSnapshotBytes { get; init; } = long.MaxValue;

    /// <summary>How the control plane's actors are restarted after a failure.</summary>
    public RestartPolicy Restarts { get; init; } = new();

    /// <summary>Test hooks (fault injection); null in production.</summary>
    internal ControlPlaneHooks? Hooks { get; init; }

    internal void Validate()
    {
        if (Kubernetes is null) ArgumentException.ThrowIfNullOrWhiteSpace(ManifestDirectory);
        else if (!string.IsNullOrWhiteSpace(ManifestDirectory))
            throw new ArgumentException("A control plane reads a manifest directory or the Kubernetes API, not both.");
        Kubernetes?.Validate();
        if (DebounceSettle < TimeSpan.Zero || DebounceMaxDelay < DebounceSettle)
            throw new ArgumentException("Debounce needs 0 <= DebounceSettle <= DebounceMaxDelay.");
        if (RescanInterval <= TimeSpan.Zero || StartupTimeout <= TimeSpan.Zero)
            throw new ArgumentException("RescanInterval and StartupTimeout must be positive.");
        if (MeshConfigKey.Kind != ResourceKind.MeshConfig)
            throw new ArgumentException("MeshConfigKey must name a MeshConfig.");
        Restarts.Validate();
    }
}

/// <summary>
/// Restarts of the control plane's actors. A source (it reads files or an API server: outside resources) restarts
/// after an exponential backoff with jitter from <see cref="MinBackoff"/> to <see cref="MaxBackoff"/>, for as long as it
/// takes. The aggregator and the snapshot server (pure work on state in memory) restart at once, but at most
/// <see cref="MaxRestarts"/> times within <see cref="Window"/>: past that the control plane gives up and stops, rather
/// than spin on a bug; proxies keep enforcing what they have.
/// </summary>
public sealed record RestartPolicy
{
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxRestarts { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        if (MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff)
            throw new ArgumentException("Restarts need 0 < MinBackoff <= MaxBackoff.");
        if (MaxRestarts < 0 || Window <= TimeSpan.Zero)
            throw new ArgumentException("Restarts need MaxRestarts >= 0 and a positive Window.");
    }
}

/// <summary>Hooks tests use to make actors fail at chosen moments; each runs inside the actor.</summary>
internal sealed record ControlPlaneHooks
{
    /// <summary>Runs before the aggregator applies a change.</summary>
    public Action<ResourceChange>? BeforeApply { get; init; }

    /// <summary>Runs before the watcher reads a file (by origin).</summary>
    public Action<string>? BeforeRead { get; init; }
}
