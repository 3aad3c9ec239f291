namespace Mesh.E2E.World;

/// <summary>
/// The directory a proxy watches. Every write lands by rename from a staging directory, so the watcher never
/// reads half a file; everything is world-readable because the proxy runs as uid 1500.
/// </summary>
public sealed class ManifestDirectory
{
    /// <summary>rwxr-xr-x: the proxy (uid 1500) must read what root wrote.</summary>
    public const UnixFileMode WorldReadableDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _staging;

    public ManifestDirectory(string path, string staging)
    {
        Path = path;
        _staging = staging;
        Directory.CreateDirectory(path, WorldReadableDirectory);
        Directory.CreateDirectory(staging, WorldReadableDirectory);
    }

    public string Path { get; }

    /// <summary>Creates or replaces a file (relative path; subfolders are created) with the given YAML.</summary>
    public void Write(string relativePath, string yaml)
    {
        var target = Resolve(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!, WorldReadableDirectory);
        var staged = System.IO.Path.Combine(_staging, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(staged, yaml);
        File.SetUnixFileMode(staged, FileMode);
        File.Move(staged, target, overwrite: true);
    }

    /// <summary>Copies one of the seed manifests (tests/Mesh.E2E/Manifests) into this directory.</summary>
    public void Apply(string seedManifest, string? asRelativePath = null) =>
        Write(asRelativePath ?? seedManifest, SeedManifest.Read(seedManifest));

    public void Delete(string relativePath)
    {
        var target = Resolve(relativePath);
        if (!File.Exists(target)) throw new InvalidOperationException($"no manifest {relativePath} to delete");
        File.Delete(target);
    }

    private string Resolve(string relativePath)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        return full.StartsWith(Path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"{relativePath} is outside the manifest directory", nameof(relativePath));
    }
}
