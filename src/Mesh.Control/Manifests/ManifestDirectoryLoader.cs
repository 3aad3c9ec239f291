using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Control.Manifests;

/// <summary>
/// Reads a directory of manifests once, with the watcher's rules (which files count, conflicts, rejections), for
/// commands such as <c>mesh egress explain</c> that need the state without watching it.
/// </summary>
public static class ManifestDirectoryLoader
{
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static ManifestDirectoryLoad Load(string directory, ResourceKey? meshConfigKey = null)
    {
        var folder = new ManifestDirectory(directory);
        if (!folder.Exists) throw new DirectoryNotFoundException($"manifest directory '{directory}' does not exist");
        var catalog = new ManifestCatalog();
        catalog.Apply(ReadAll(folder));
        var state = ClusterState.Create(meshConfigKey ?? ClusterState.DefaultMeshConfigKey);
        foreach (var resource in catalog.InForce.Values) state = state.Upsert(resource);
        return new ManifestDirectoryLoad(state, catalog.Report());
    }

    internal static IEnumerable<(string Origin, ManifestLoadResult? Result)> ReadAll(ManifestDirectory folder)
    {
        foreach (var origin in folder.EnumerateManifests())
        {
            var content = ManifestFileReader.Read(origin);
            yield return (origin, content is null ? null : ManifestLoader.LoadText(content.Text, origin));
        }
    }
}
