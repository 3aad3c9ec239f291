using System.Globalization;
using Xunit.Abstractions;

namespace Mesh.Hocon.Tests.Conformance;

/// <summary>
/// Runs every applicable case from the shared conformance vectors, prints the pass count and requires
/// at least 95%. Every failing case must be listed in CONFORMANCE.md with its reason.
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    private const double RequiredPassRate = 0.95;

    [Fact]
    public void Conformance_vectors_pass()
    {
        var cases = ConformanceCases.All();
        var failures = cases.Select(c => (Case: c, Reason: c.Run())).Where(r => r.Reason is not null).ToList();
        var passed = cases.Count - failures.Count;
        var summary = string.Create(CultureInfo.InvariantCulture, $"HOCON conformance: {passed}/{cases.Count} applicable cases pass");
        Report(summary);
        foreach (var (c, reason) in failures)
        {
            Report($"  FAIL [{c.Grade}] {c.Name}: {reason}");
        }

        var documented = File.ReadAllText(ConformanceDocument());
        var undocumented = failures.Where(f => !documented.Contains(f.Case.Name, StringComparison.Ordinal)).Select(f => f.Case.Name).ToList();
        Assert.True(undocumented.Count == 0, "failing cases missing from CONFORMANCE.md: " + string.Join("; ", undocumented));
        Assert.True(passed >= cases.Count * RequiredPassRate, summary);
    }

    [Fact]
    public void Case_names_are_unique()
    {
        var duplicates = ConformanceCases.All().GroupBy(c => c.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    /// <summary>CONFORMANCE.md sits beside this project's sources; find it from the test assembly.</summary>
    private static string ConformanceDocument()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "CONFORMANCE.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Mesh.Hocon.Tests.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/Mesh.Hocon.Tests/CONFORMANCE.md was not found above " + AppContext.BaseDirectory);
    }
}
