using System.Text.Json;

namespace Mesh.Hocon.Tests.Conformance;

/// <summary>All applicable conformance cases (README sections 3–5).</summary>
internal static partial class ConformanceCases
{
    public static IReadOnlyList<ConformanceCase> All() =>
        [.. Equivalence(), .. Test01(), .. Test02To06(), .. Test07To13(), .. SmallerFiles(), .. AkkaFiles()];

    /// <summary>
    /// Section 3: each top-level non-original .conf/.json in an equivNN folder equals original.json
    /// (resolved without environment), and each non-original .json also parses as HOCON to the same value.
    /// </summary>
    private static IEnumerable<ConformanceCase> Equivalence()
    {
        var folders = Directory.GetDirectories(ConformanceFolder.Resources, "equiv*").Order(StringComparer.Ordinal).ToList();
        yield return new ConformanceCase("equiv: five folders with fifteen non-original files", "A", () =>
        {
            Assert.Equal(5, folders.Count);
            Assert.Equal(15, folders.Sum(folder => Inputs(folder).Count()));
        });

        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            var original = Path.Combine(folder, "original.json");
            foreach (var file in Inputs(folder))
            {
                var fileName = Path.GetFileName(file);
                yield return new ConformanceCase($"{name}/{fileName} equals original.json", "A",
                    () => AssertEquivalent(ConformanceLoader.ParseFile(file), original));
                if (fileName.EndsWith(".json", StringComparison.Ordinal))
                {
                    yield return new ConformanceCase($"{name}/{fileName} parsed as HOCON equals original.json", "A",
                        () => AssertEquivalent(ConformanceLoader.ParseAsHocon(file), original));
                }
            }
        }
    }

    private static IEnumerable<string> Inputs(string folder) =>
        Directory.GetFiles(folder)
            .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith("original.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static void AssertEquivalent(HoconObject actual, string originalJson)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(originalJson));
        var difference = JsonComparison.Difference(actual, expected.RootElement);
        Assert.True(difference is null, difference);
    }

    private static ConformanceCase Case(string name, string grade, Action check) => new(name, grade, check);

    private static Lazy<HoconObject> Lazy(Func<HoconObject> load) => new(load, LazyThreadSafetyMode.ExecutionAndPublication);
}
