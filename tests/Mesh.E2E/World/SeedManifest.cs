namespace Mesh.E2E.World;

/// <summary>The YAML files in tests/Mesh.E2E/Manifests (copied next to the test assembly).</summary>
public static class SeedManifest
{
    public static string Read(string name)
    {
        var path = Path.Combine(RepoPaths.SeedManifests, name);
        return File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"no seed manifest {name}", path);
    }

    /// <summary>
    /// The documents of a multi-document YAML file, split at "---" lines. Enough for our own manifests, whose
    /// documents never contain such a line inside a block scalar.
    /// </summary>
    public static IReadOnlyList<string> Documents(string yaml) =>
        yaml.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n')
            .Aggregate(new List<List<string>> { new() }, (docs, line) =>
            {
                if (line.TrimEnd() == "---") docs.Add([]);
                else docs[^1].Add(line);
                return docs;
            })
            .Select(lines => string.Join('\n', lines).Trim('\n') + "\n")
            .Where(doc => doc.Trim().Length > 0)
            .ToList();

    /// <summary>The one document of a file whose top-level kind is the given one.</summary>
    public static string DocumentOfKind(string yaml, string kind) =>
        Documents(yaml).Single(doc => doc.Split('\n').Any(line => line.TrimEnd() == $"kind: {kind}"));
}
