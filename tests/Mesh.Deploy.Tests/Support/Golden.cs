using System.Text.RegularExpressions;

namespace Mesh.Deploy.Tests.Support;

/// <summary>
/// Golden files under tests/Mesh.Deploy.Tests/Golden. To regenerate them after an intended change, run the tests with
/// MESH_UPDATE_GOLDEN=1 (they rewrite the files and pass), then review the diff: <c>git diff tests/Mesh.Deploy.Tests/Golden</c>.
/// </summary>
internal static partial class Golden
{
    public static string PathOf(string name) => Path.Combine(RepoFiles.ProjectSource, "Golden", name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    public static void AssertMatches(string name, string actual)
    {
        var path = PathOf(name);
        if (Environment.GetEnvironmentVariable("MESH_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"no golden file {path}; run with MESH_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllText(path);
        if (expected == actual) return;
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var first = Enumerable.Range(0, Math.Min(expectedLines.Length, actualLines.Length)).FirstOrDefault(i => expectedLines[i] != actualLines[i], Math.Min(expectedLines.Length, actualLines.Length));
        Assert.Fail($"{name} differs at line {first + 1}:\n  golden: {Line(expectedLines, first)}\n  actual: {Line(actualLines, first)}\n(MESH_UPDATE_GOLDEN=1 rewrites the golden files)");
    }

    /// <summary>The certificate material is new on every run; everything around it is compared exactly.</summary>
    public static string WithoutGeneratedCertificates(string yaml) => Certificates().Replace(yaml, "$1<generated>");

    private static string Line(string[] lines, int i) => i < lines.Length ? lines[i] : "(end of file)";

    [GeneratedRegex(@"^(\s*(?:tls\.crt|tls\.key|ca\.crt|caBundle): )[A-Za-z0-9+/=]+$", RegexOptions.Multiline)]
    private static partial Regex Certificates();
}
