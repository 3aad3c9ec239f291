using Mesh.Actors;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Control;

/// <summary>How the in-process control plane watches its manifests.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>The folder of manifests (*.yaml, *.yml, *.json, subfolders included; dotfiles and editor temporaries ignored).</summary>
    public required string ManifestDirectory { get; init; }

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

    /// <summary>Test hooks (fault injection); null in production.</summary>
    internal ControlPlaneHooks? Hooks { get; init; }

    /// <summary>Restart policy of the control plane's actors.</summary>
    internal SupervisionOptions Supervision { get; init; } = new();

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ManifestDirectory);
        if (DebounceSettle < TimeSpan.Zero || DebounceMaxDelay < DebounceSettle)
            throw new ArgumentException("Debounce needs 0 <= DebounceSettle <= DebounceMaxDelay.");
        if (RescanInterval <= TimeSpan.Zero || StartupTimeout <= TimeSpan.Zero)
            throw new ArgumentException("RescanInterval and StartupTimeout must be positive.");
        if (MeshConfigKey.Kind != ResourceKind.MeshConfig)
            throw new ArgumentException("MeshConfigKey must name a MeshConfig.");
    }
}

/// <summary>Hooks tests use to make actors fail at chosen moments; each runs on the actor's loop.</summary>
internal sealed record ControlPlaneHooks
{
    /// <summary>Runs before the aggregator applies a change.</summary>
    public Action<Mesh.Policy.State.ResourceChange>? BeforeApply { get; init; }

    /// <summary>Runs before the watcher reads a file (by origin).</summary>
    public Action<string>? BeforeRead { get; init; }
}
