using Mesh.Policy.Loading;
using Mesh.Policy.State;

namespace Mesh.Tests.Shared;

/// <summary>Cluster states from manifest text, as the control plane would hold them; text that does not load fails the test.</summary>
internal static class ManifestState
{
    public static ClusterState Load(params string[] manifests) => Apply(ClusterState.Empty, manifests);

    /// <summary><paramref name="state"/> with every resource of <paramref name="manifests"/> applied, in order.</summary>
    public static ClusterState Apply(ClusterState state, params string[] manifests)
    {
        foreach (var manifest in manifests)
        {
            var result = ManifestLoader.LoadText(manifest, "test.yaml");
            Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
            foreach (var resource in result.Resources) state = state.Upsert(resource);
        }
        return state;
    }
}
