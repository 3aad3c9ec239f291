namespace Mesh.Deploy.Tests.Support;

/// <summary>Paths in the repository and beside it (the shared seed documents), found from the test assembly.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindUp(dir => File.Exists(Path.Combine(dir, "Mesh.sln")))
        ?? throw new InvalidOperationException($"no Mesh.sln above {AppContext.BaseDirectory}");

    /// <summary>This test project's source folder (golden files live there, not in bin/).</summary>
    public static string ProjectSource => Path.Combine(Root, "tests", "Mesh.Deploy.Tests");

    /// <summary>
    /// The seed documents: the repository is cloned beside <c>shared/</c> (X/main and X/shared), so walk up until a
    /// directory has shared/seeds. Never copied into the repository.
    /// </summary>
    public static string SharedSeeds { get; } =
        FindUp(dir => Directory.Exists(Path.Combine(dir, "shared", "seeds"))) is { } found
            ? Path.Combine(found, "shared", "seeds")
            : throw new InvalidOperationException($"no shared/seeds above {AppContext.BaseDirectory}: the seed documents sit beside the repository");

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string? FindUp(Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (found(dir.FullName)) return dir.FullName;
        }
        return null;
    }
}
