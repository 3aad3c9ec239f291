namespace Mesh.E2E.World;

/// <summary>
/// Where the binaries under test are: the same configuration and framework as this test assembly
/// (bin/&lt;Config&gt;/&lt;tfm&gt;/), so `dotnet test -c Release` tests Release binaries.
/// </summary>
public static class RepoPaths
{
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string Framework { get; } = Output.Name;

    public static string Configuration { get; } = Output.Parent?.Name ?? "Debug";

    public static string Root { get; } = FindRoot();

    public static string OriginDll { get; } =
        Path.Combine(Root, "tests", "Mesh.E2E.Origin", "bin", Configuration, Framework, "Mesh.E2E.Origin.dll");

    /// <summary>The proxy's CLI; MESH_E2E_MESH_DLL overrides it (e.g. a published build).</summary>
    public static string MeshDll { get; } =
        Environment.GetEnvironmentVariable("MESH_E2E_MESH_DLL")
        ?? Path.Combine(Root, "src", "Mesh.Cli", "bin", Configuration, Framework, "mesh.dll");

    /// <summary>The fake Kubernetes API server, run as its own process (it stays in the build output: only root runs it).</summary>
    public static string FakeKubeApiDll { get; } =
        Path.Combine(Root, "tests", "Mesh.FakeKubeApi", "bin", Configuration, Framework, "Mesh.FakeKubeApi.dll");

    /// <summary>The seed manifests copied next to the test assembly.</summary>
    public static string SeedManifests { get; } = Path.Combine(AppContext.BaseDirectory, "Manifests");

    private static string FindRoot()
    {
        for (var dir = Output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"no Mesh.sln above {Output.FullName}");
    }
}
