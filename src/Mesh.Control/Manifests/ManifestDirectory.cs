namespace Mesh.Control.Manifests;

/// <summary>
/// A folder of manifests: which files in it count and how they are named. Files are named by their origin,
/// <c>Path.Join(root as given, relative path)</c>, so reports show paths the way the user typed the folder, and the
/// ordinal order of origins is the "first defined" order that settles conflicts.
/// </summary>
internal sealed class ManifestDirectory
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public ManifestDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = root;
        FullRoot = Path.GetFullPath(root);
    }

    /// <summary>The folder as given by the user.</summary>
    public string Root { get; }

    public string FullRoot { get; }

    public bool Exists => Directory.Exists(FullRoot);

    /// <summary>
    /// Editors and tools leave temporaries and metadata next to real files (vim <c>.x.swp</c>, emacs <c>#x#</c> and
    /// <c>.#x</c>, <c>x~</c>, <c>.git/</c>, the <c>..data</c> folders of a mounted ConfigMap): none of them counts.
    /// </summary>
    public static bool IsManifest(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        foreach (var segment in relativePath.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('.')) return false;
        }
        var name = Path.GetFileName(relativePath);
        if (name.StartsWith('#') || name.EndsWith('~')) return false;
        return Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every manifest below the root, as origins in ordinal order. Empty when the folder does not exist.</summary>
    public IReadOnlyList<string> EnumerateManifests()
    {
        if (!Exists) return [];
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return [.. Directory.EnumerateFiles(FullRoot, "*", options)
            .Select(full => Path.GetRelativePath(FullRoot, full))
            .Where(IsManifest)
            .Select(relative => Path.Join(Root, relative))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The newest modification time in the tree (UTC ticks): of a file written, or of a directory whose entries changed,
    /// so deleting or renaming a file moves it forward too. Zero when the folder does not exist.
    /// </summary>
    public ulong NewestWrite()
    {
        if (!Exists) return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var newest = Directory.GetLastWriteTimeUtc(FullRoot).Ticks;
        foreach (var entry in new DirectoryInfo(FullRoot).EnumerateFileSystemInfos("*", options))
        {
            newest = Math.Max(newest, entry.LastWriteTimeUtc.Ticks);
        }
        return (ulong)newest;
    }

    /// <summary>The origin of a path reported by the file system watcher, or null when it lies outside the folder.</summary>
    public string? OriginOf(string fullPath)
    {
        var relative = Path.GetRelativePath(FullRoot, Path.GetFullPath(fullPath));
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) return null;
        return Path.Join(Root, relative);
    }

    /// <summary>The path below the root of an origin this folder produced.</summary>
    public string RelativeOf(string origin) => Path.GetRelativePath(FullRoot, Path.GetFullPath(origin));
}
