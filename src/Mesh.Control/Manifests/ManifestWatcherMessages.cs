namespace Mesh.Control.Manifests;

// The directory watcher's protocol: every message comes from its own timers and file system events.

/// <summary>The file system reported activity on these paths (full paths, files or folders).</summary>
internal sealed record PathsChanged(IReadOnlyList<string> FullPaths);

/// <summary>Events may have been lost (inotify overflow, watch error): compare every file.</summary>
internal sealed record WatchOverflowed(string Reason);

/// <summary>The periodic safety-net rescan is due.</summary>
internal sealed record RescanDue
{
    public static RescanDue Instance { get; } = new();

    private RescanDue()
    {
    }
}

/// <summary>The debounce timer fired.</summary>
internal sealed record FlushDue
{
    public static FlushDue Instance { get; } = new();

    private FlushDue()
    {
    }
}
