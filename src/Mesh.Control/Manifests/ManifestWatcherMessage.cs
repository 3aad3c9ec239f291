namespace Mesh.Control.Manifests;

/// <summary>The directory watcher's protocol; most messages come from its own timers and file system events.</summary>
internal abstract record ManifestWatcherMessage;

/// <summary>The file system reported activity on these paths (full paths, files or folders).</summary>
internal sealed record PathsChanged(IReadOnlyList<string> FullPaths) : ManifestWatcherMessage;

/// <summary>Events may have been lost (inotify overflow, watch error): compare every file.</summary>
internal sealed record WatchOverflowed(string Reason) : ManifestWatcherMessage;

/// <summary>The periodic safety-net rescan is due.</summary>
internal sealed record RescanDue : ManifestWatcherMessage
{
    public static RescanDue Instance { get; } = new();
}

/// <summary>A debounce timer fired; <see cref="Generation"/> tells the current timer from stale ones.</summary>
internal sealed record FlushDue(long Generation) : ManifestWatcherMessage;
