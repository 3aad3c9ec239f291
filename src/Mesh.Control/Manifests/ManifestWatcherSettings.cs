namespace Mesh.Control.Manifests;

/// <summary>How the directory watcher watches; see <see cref="ControlPlaneOptions"/> for the meaning of each.</summary>
internal sealed record ManifestWatcherSettings(
    ManifestDirectory Directory,
    TimeSpan Settle,
    TimeSpan MaxDelay,
    TimeSpan RescanInterval,
    Action<string>? BeforeRead = null);
