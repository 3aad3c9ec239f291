using System.Text.Json.Nodes;
using Mesh.Tests.Shared;

namespace Mesh.Deploy.Tests.Support;

/// <summary>Every manifest users bring from the seeds, as the API server would receive it, named for messages.</summary>
internal static class SeedDocuments
{
    public static IEnumerable<(string Source, JsonNode Document)> All() =>
        FromSharedSeeds().Concat(FromSeedManifestsClass()).Concat(FromFiles("Seeds"));

    /// <summary>The YAML the seed documents pipe into <c>kubectl apply -f - &lt;&lt;EOF</c>, dedented.</summary>
    public static IEnumerable<(string Source, JsonNode Document)> FromSharedSeeds()
    {
        foreach (var file in Directory.EnumerateFiles(RepoFiles.SharedSeeds, "*.txt").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].TrimEnd().EndsWith("kubectl apply -f - <<EOF", StringComparison.Ordinal)) continue;
                var body = lines.Skip(i + 1).TakeWhile(l => l.Trim() != "EOF").ToList();
                var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
                var yaml = string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
                foreach (var doc in YamlJson.Documents(yaml)) yield return ($"{Path.GetFileName(file)}:{i + 2}", doc!);
            }
        }
    }

    private static IEnumerable<(string, JsonNode)> FromSeedManifestsClass()
    {
        (string Name, string Yaml)[] texts =
        [
            (nameof(SeedManifests.Httpbin80), SeedManifests.Httpbin80),
            (nameof(SeedManifests.Httpbin443), SeedManifests.Httpbin443),
            (nameof(SeedManifests.Tcp443), SeedManifests.Tcp443),
            (nameof(SeedManifests.RouteGroupAndEgress), SeedManifests.RouteGroupAndEgress),
            (nameof(SeedManifests.RouteGroupUpdated), SeedManifests.RouteGroupUpdated),
            ("MeshConfig(true)", SeedManifests.MeshConfig(true)),
            ("MeshConfig(false, false)", SeedManifests.MeshConfig(false, false)),
        ];
        return texts.SelectMany(t => YamlJson.Documents(t.Yaml).Select(d => ($"SeedManifests.{t.Name}", d!)));
    }

    /// <summary>tests/Mesh.E2E/Manifests (the seeds' YAML as files) and examples/manifests, copied next to the tests.</summary>
    public static IEnumerable<(string, JsonNode)> FromFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, folder), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => YamlJson.Documents(File.ReadAllText(f)).Select(d => (Path.GetRelativePath(AppContext.BaseDirectory, f), d!)));
}
