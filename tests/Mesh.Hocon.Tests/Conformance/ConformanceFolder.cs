namespace Mesh.Hocon.Tests.Conformance;

/// <summary>
/// Finds the shared HOCON conformance vectors at run time: the repository is cloned to X/main with the
/// vectors in X/shared/hocon-conformance, so walk up from the test assembly until a directory has
/// shared/hocon-conformance. The vectors are never copied into the repository.
/// </summary>
internal static class ConformanceFolder
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Path => Root.Value;

    /// <summary>lightbend-config/config/src/test/resources: the first "classpath" root.</summary>
    public static string Resources => System.IO.Path.Combine(Path, "lightbend-config", "config", "src", "test", "resources");

    /// <summary>lightbend-config/test-lib/src/test/resources: the second "classpath" root.</summary>
    public static string TestLibResources => System.IO.Path.Combine(Path, "lightbend-config", "test-lib", "src", "test", "resources");

    public static string Akka => System.IO.Path.Combine(Path, "akkadotnet-HOCON", "src");

    public static string Resource(string relative) => System.IO.Path.Combine(Resources, relative);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "hocon-conformance");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "The HOCON conformance vectors were not found: expected a directory 'shared/hocon-conformance' beside the "
            + $"repository root (looked upwards from {AppContext.BaseDirectory}). Clone or copy them there; these tests never skip.");
    }
}
