namespace Mesh.E2E.World;

/// <summary>
/// The programs that run as the proxy's uid (`mesh`, the origin and its probe), copied out of the build output into a
/// directory of the run's own that only root and that uid may enter (mode 0700, owned by uid 1500).
/// </summary>
/// <remarks>
/// The clone may sit where only root can enter (root's home, any `mktemp -d`): uid 1500 cannot load a dll from there,
/// and loosening the permissions of the user's own directories is not the tests' to do. Copies also keep a rebuild
/// during the run from changing what is tested.
/// </remarks>
public sealed class StagedBinaries
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private StagedBinaries(string directory, string meshDll, string originDll)
    {
        Directory = directory;
        MeshDll = meshDll;
        OriginDll = originDll;
    }

    /// <summary>The private directory; it goes with the run's scratch directory.</summary>
    public string Directory { get; }

    public string MeshDll { get; }

    public string OriginDll { get; }

    /// <summary>
    /// Copies both build outputs under <paramref name="directory"/> and hands it to the proxy's uid, then proves that
    /// uid can run them; a failure says in one line what is missing and how to fix it.
    /// </summary>
    public static async Task<StagedBinaries> StageAsync(string directory, string meshDll, string originDll)
    {
        foreach (var (what, dll, project) in new[] { ("mesh CLI", meshDll, "src/Mesh.Cli"), ("origin", originDll, "tests/Mesh.E2E.Origin") })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException(
                    $"the {what} is not built at {dll}: run `dotnet build {project} -c {RepoPaths.Configuration}` (scripts/test.sh builds everything)");
            }
        }

        System.IO.Directory.CreateDirectory(directory, OwnerOnly);
        var staged = new StagedBinaries(directory, CopyApp(meshDll, Path.Combine(directory, "mesh")), CopyApp(originDll, Path.Combine(directory, "origin")));
        var uid = $"{WorldAddresses.ProxyUid}";
        await ProcessRunner.RunCheckedAsync("chown", "-R", $"{uid}:{uid}", directory);
        File.SetUnixFileMode(directory, OwnerOnly);

        var dotnet = Prerequisites.Which("dotnet")!;
        var probe = await ProcessRunner.RunAsync(TestWorld.ProxyUserPrefix[0], [.. TestWorld.ProxyUserPrefix.Skip(1), dotnet, staged.MeshDll, "--version"]);
        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"uid {uid} cannot run `dotnet {staged.MeshDll}` ({probe.Stderr.Trim().Split('\n')[0]}): install the .NET SDK where every user can read it (e.g. /usr/share/dotnet), not under a private home directory");
        }

        return staged;
    }

    /// <summary>Copies the directory of <paramref name="dll"/> (the app with its dependencies) to <paramref name="target"/>.</summary>
    public static string CopyApp(string dll, string target)
    {
        var source = Path.GetDirectoryName(Path.GetFullPath(dll))!;
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }

        return Path.Combine(target, Path.GetFileName(dll));
    }
}
