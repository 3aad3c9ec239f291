using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// The fixture that lets the suite run from a clone only root can enter (issue: the README's test command failed
/// from a mode-0700 directory because uid 1500 could not load the build output).
/// </summary>
public sealed class StagedBinariesTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _scratch = Directory.CreateTempSubdirectory(WorldNames.Prefix + $"{Environment.ProcessId}-staging-").FullName;

    public StagedBinariesTests()
    {
        Prerequisites.Require();
        File.SetUnixFileMode(_scratch, ManifestDirectory.WorldReadableDirectory); // as /tmp's run directories are
    }

    [Fact(Timeout = 30_000)]
    public async Task Binaries_in_a_private_clone_are_staged_where_only_root_and_the_proxy_uid_can_run_them()
    {
        // A clone where root's clones land: a directory only root may enter.
        var clone = Path.Combine(_scratch, "clone");
        Directory.CreateDirectory(clone, OwnerOnly);
        var meshDll = StagedBinaries.CopyApp(RepoPaths.MeshDll, Path.Combine(clone, "mesh"));
        var originDll = StagedBinaries.CopyApp(RepoPaths.OriginDll, Path.Combine(clone, "origin"));
        var unstaged = await RunAsProxyUserAsync(meshDll);
        Assert.True(unstaged.ExitCode != 0, $"the premise: uid 1500 cannot run from the private clone\n{unstaged}");

        var staged = await StagedBinaries.StageAsync(Path.Combine(_scratch, "bin"), meshDll, originDll);

        var run = await RunAsProxyUserAsync(staged.MeshDll);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(staged.OriginDll), staged.OriginDll);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(staged.Directory));
        var owner = await ProcessRunner.RunCheckedAsync("stat", "-c", "%u:%g", staged.Directory);
        Assert.Equal($"{WorldAddresses.ProxyUid}:{WorldAddresses.ProxyUid}", owner.Stdout.Trim());
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(clone)); // the user's own directory was not loosened
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_build_output_fails_at_once_naming_what_to_build()
    {
        var missing = Path.Combine(_scratch, "nowhere", "mesh.dll");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => StagedBinaries.StageAsync(Path.Combine(_scratch, "bin"), missing, RepoPaths.OriginDll));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet build src/Mesh.Cli", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static Task<CommandResult> RunAsProxyUserAsync(string dll) =>
        ProcessRunner.RunAsync(TestWorld.ProxyUserPrefix[0], [.. TestWorld.ProxyUserPrefix.Skip(1), Prerequisites.Which("dotnet")!, dll, "--version"]);
}
